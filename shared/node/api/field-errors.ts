/**
 * Pulls per-field errors out of a problem's `detail`, which names fields as
 * `address.postcode: must be ...` (several joined by `;` or new lines, possibly after a
 * context such as `invalid body: `). The UI shows them next to the fields to fix.
 */
import type { FieldError } from '../../api-result'

// A field path: the API's lower-case snake_case names and indexes joined by dots
// (`nationalities.0`, `address.postcode`); capitalised words like `Error:` are prose, not fields.
const FIELD_ERROR = /^([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*): (.+)$/

export function fieldErrorsFromDetail(detail: string | undefined): FieldError[] {
  if (!detail) return []
  const errors: FieldError[] = []
  for (const raw of detail.split(/;|\n/)) {
    const part = raw.trim()
    if (part === '') continue
    const found = matchFieldError(part)
    if (found) errors.push(found)
  }
  return errors
}

/** Tries the whole part, then each suffix after a `: `, so a leading context is skipped. */
function matchFieldError(part: string): FieldError | undefined {
  let rest = part
  for (;;) {
    const match = FIELD_ERROR.exec(rest)
    if (match && match[1] && match[2]) return { field: match[1], message: match[2].trim() }
    const next = rest.indexOf(': ')
    if (next < 0) return undefined
    rest = rest.slice(next + 2)
  }
}
