/** Country names in the UI language (Intl.DisplayNames), sorted for pickers. */
import { COUNTRY_CODES } from '../../../shared/countries'

export interface CountryOption {
  readonly code: string
  readonly name: string
}

const cache = new Map<string, readonly CountryOption[]>()

export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code
  } catch {
    return code
  }
}

export function countryOptions(locale: string): readonly CountryOption[] {
  const cached = cache.get(locale)
  if (cached !== undefined) return cached
  const names = new Intl.DisplayNames([locale], { type: 'region' })
  const collator = new Intl.Collator(locale)
  const options = COUNTRY_CODES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => collator.compare(a.name, b.name))
  cache.set(locale, options)
  return options
}
