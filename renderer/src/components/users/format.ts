/** Turns user field values into localized text for the detail screen. */
import type { Address } from '../../../../shared/schemas/address'
import { countryName } from '../../i18n/countries'

export interface Formatters {
  readonly locale: string
  readonly t: (key: string, values?: Record<string, unknown>) => string
  readonly date: (value: Date) => string
  readonly dateTime: (value: Date) => string
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isAddress(value: unknown): value is Address {
  return isRecord(value) && typeof value.address_line1 === 'string' && typeof value.city === 'string'
}

export function formatAddress(address: Address, locale: string): string {
  return [
    address.address_line1,
    address.address_line2,
    `${address.postcode} ${address.city}`,
    address.state,
    countryName(address.country, locale),
  ]
    .filter((part) => part !== undefined && part !== '')
    .join(', ')
}

/** A field's value as text; `field` picks the wording (enums, countries, dates). */
export function formatField(field: string, value: unknown, f: Formatters): string {
  if (value === undefined || value === null || value === '') return '—'
  switch (field) {
    case 'salutation':
      return f.t(`salutations.${String(value)}`)
    case 'title':
      return f.t(`titles.${String(value)}`)
    case 'status':
      return value === 'CREATING' ? f.t('userStatus.LOCAL') : f.t(`userStatus.${String(value)}`)
    case 'birth_country':
      return countryName(String(value), f.locale)
    case 'nationalities':
      return Array.isArray(value) ? value.map((c) => countryName(String(c), f.locale)).join(', ') : String(value)
    case 'birth_date':
      return typeof value === 'string' ? f.date(new Date(`${value}T00:00:00Z`)) : String(value)
    case 'created_at':
    case 'updated_at':
      return typeof value === 'string' ? f.dateTime(new Date(value)) : String(value)
    case 'fatca':
      return isRecord(value) ? f.t(value.status === true ? 'detail.fatcaYes' : 'detail.fatcaNo') : String(value)
    case 'terms_and_conditions':
    case 'data_privacy_and_sharing_agreement':
      return isRecord(value) && typeof value.confirmed_at === 'string'
        ? f.t('detail.consented', { when: f.dateTime(new Date(value.confirmed_at)) })
        : '—'
    default:
      if (isAddress(value)) return formatAddress(value, f.locale)
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)
  }
}
