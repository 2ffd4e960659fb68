/**
 * Strips secrets and personal data from anything before it reaches the log file: the file
 * is kept for support, may be mailed around, and must hold neither credentials nor the
 * people being onboarded. Keys are judged by name; free text by the shapes secrets and
 * contact data take. Kept out: where logs go (electron/main/logging.ts).
 */

export const REDACTED = '[redacted]'
const MAX_DEPTH = 6

/** Credentials: a value under one of these keys never reaches a log. */
const SECRET_KEY = /pass(word)?|secret|token|authori[sz]ation|cookie|private.?key|pem|signature|api.?key|credential|idempotency/i

/** Personal data of users (API field names and the app's own). */
const PERSONAL_KEY = new RegExp(
  '^(' +
    [
      'e.?mail',
      'phone(.?number)?',
      'mobile',
      '(first|last|given|family|birth).?name',
      'name',
      'salutation',
      'birth.?(date|city|country)',
      '(postal.?|residential.?)?address',
      'address.?line\\d*',
      'street(.?number)?',
      'postcode',
      'zip',
      'city',
      'tax.?id',
      'tin',
      'iban',
      'nationalit(y|ies)',
      // Whole request bodies, drafts and queued entries carry all of the above.
      'body',
      'draft',
      'user',
      'user.?row',
      'entry',
      'entries',
      'payload',
      'change',
    ].join('|') +
    ')$',
  'i',
)

const TEXT_RULES: readonly (readonly [RegExp, string])[] = [
  // PEM blocks (private keys, certificates) first: they span lines and contain base64 that later rules would half-match.
  [/-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g, '[redacted pem]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  // JSON Web Tokens: three base64url segments, the first starting with '{"' encoded.
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted jwt]'],
  // key=value in form bodies, query strings and headers.
  [/\b(client_secret|password|access_token|refresh_token|token|secret|signature)(["']?\s*[=:]\s*["']?)[^\s&"',;]+/gi, '$1$2[redacted]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[redacted email]'],
  [/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, '[redacted iban]'],
  // Phone numbers: a + or 0 prefix and at least 8 digits with common separators.
  [/(?<![\w-])(?:\+|00)\d[\d ()/-]{7,}\d\b/g, '[redacted phone]'],
]

export function redactText(text: string): string {
  let out = text
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement)
  return out
}

/** Returns a copy safe to log; never mutates its input. */
export function redact(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet())
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value)
  if (typeof value !== 'object' || value === null) return value
  if (seen.has(value)) return '[circular]'
  if (depth >= MAX_DEPTH) return '[nested]'
  seen.add(value)
  if (value instanceof Error) return redactError(value, depth, seen)
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen))
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`
  if (value instanceof Date) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = redactEntry(key, item, depth, seen)
  return out
}

function redactEntry(key: string, item: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (item === undefined || item === null) return item
  if (SECRET_KEY.test(key)) return REDACTED
  if (PERSONAL_KEY.test(key)) return REDACTED
  return redactValue(item, depth + 1, seen)
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Error {
  const copy = new Error(redactText(error.message))
  copy.name = error.name
  copy.stack = error.stack === undefined ? undefined : redactText(error.stack)
  // Axios and friends hang request config (headers, bodies) on errors: keep only the harmless scalars.
  for (const [key, item] of Object.entries(error)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      Object.assign(copy, { [key]: redactEntry(key, item, depth, seen) })
    }
  }
  if (error.cause !== undefined) copy.cause = redactValue(error.cause, depth + 1, seen)
  return copy
}
