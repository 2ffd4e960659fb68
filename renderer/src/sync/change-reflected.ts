/**
 * Does a user read from the server (an event or a read-back) show a data change as done?
 * Used to settle an accepted change without its event, and to tie a USER.DATA_CHANGED
 * event to the entry it finishes rather than to a late event of an earlier change.
 */
import { PROOF_FIELDS, type DataChange } from '../../../shared/schemas/data-change'
import type { User } from '../../../shared/schemas/user'

export function changeIsReflected(change: DataChange, user: User): boolean {
  const record = user as Record<string, unknown>
  return Object.entries(change.body).every(
    ([field, value]) => PROOF_FIELDS.has(field) || value === undefined || sameValue(value, record[field]),
  )
}

/** Structural equality that treats a missing and an undefined property alike. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]))
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  const keys = new Set([...Object.keys(x), ...Object.keys(y)])
  return [...keys].every((k) => sameValue(x[k], y[k]))
}
