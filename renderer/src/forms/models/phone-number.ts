/**
 * Phone numbers as people write them ("+49 30 1234567", "0049 30 …", "(030) 123-4567" with
 * the address's country) turned into what the API takes: the E.164 digits without "+".
 * Input that cannot be read is returned as typed, so the schema refuses it with a message.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min'

/** Digits only, no trunk "0": already the API's form (country code first), kept as it is. */
const API_FORM = /^[1-9][0-9]{7,14}$/

export function normalisePhoneNumber(typed: string, defaultCountry?: string): string {
  const trimmed = typed.trim()
  if (trimmed === '' || API_FORM.test(trimmed)) return trimmed
  // "00" is the international call prefix in most countries: the same as "+".
  const international = trimmed.replace(/^00/, '+')
  const country = defaultCountry !== undefined && /^[A-Z]{2}$/.test(defaultCountry) ? (defaultCountry as CountryCode) : undefined
  const parsed = parsePhoneNumberFromString(international, country === undefined ? undefined : { defaultCountry: country })
  if (parsed === undefined || !parsed.isPossible()) return trimmed
  return parsed.number.replace(/^\+/, '')
}
