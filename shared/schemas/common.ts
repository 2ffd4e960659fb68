/** Small field types the API uses everywhere: ids, calendar dates, timestamps, country codes. */
import { z } from 'zod'
import { isCountryCode } from '../countries'

export const UuidSchema = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID')

/** RFC 3339 full-date that names a real calendar day (no 2021-02-30). */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in YYYY-MM-DD format')
  .refine((value) => {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number]
    const date = new Date(Date.UTC(2000, m - 1, d))
    // setUTCFullYear, not Date.UTC(y, ...): that reads years 0-99 as 1900-1999.
    date.setUTCFullYear(y, m - 1, d)
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
  }, 'must be a real calendar date')

/** A birth date cannot be in the future or implausibly old. */
export const BirthDateSchema = CalendarDateSchema.refine((value) => {
  const today = new Date().toISOString().slice(0, 10)
  return value <= today && value >= '1900-01-01'
}, 'must be a date between 1900-01-01 and today')

/** RFC 3339 date-time as the API writes it (fractions of any length, Z or offset). */
export const DateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'must be an RFC 3339 date-time')

export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
  .refine(isCountryCode, 'is not an ISO 3166-1 alpha-2 country code')

export type Uuid = z.infer<typeof UuidSchema>
