/**
 * Header and URL access shared by both signature formats: case-insensitive lookup over
 * Node's incoming header shape, and the derived components `@method`, `@path`, `@query`.
 */

export type HeaderValue = string | number | readonly string[] | undefined
export type HeaderInput = Readonly<Record<string, HeaderValue>>

/** Lower-cased names; repeated values joined as RFC 9421 says (`, `), each trimmed. */
export function normalizeHeaders(headers: HeaderInput): Map<string, string> {
  const normalized = new Map<string, string>()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.map((v) => String(v).trim()).join(', ') : String(value).trim()
    const key = name.toLowerCase()
    const previous = normalized.get(key)
    normalized.set(key, previous === undefined ? text : `${previous}, ${text}`)
  }
  return normalized
}

// Only the path and query are read, so any origin will do for relative request targets.
const PLACEHOLDER_ORIGIN = 'http://signature.invalid'

export interface RequestTarget {
  readonly path: string
  /** `?a=1` including the question mark, or undefined when the URL has no query. */
  readonly query: string | undefined
}

export function requestTarget(url: string): RequestTarget {
  const parsed = new URL(url, PLACEHOLDER_ORIGIN)
  return { path: parsed.pathname === '' ? '/' : parsed.pathname, query: parsed.search === '' ? undefined : parsed.search }
}

/** The value of one covered component, or undefined when the request lacks it. */
export function componentValue(component: string, method: string, url: string, headers: Map<string, string>): string | undefined {
  if (component === '@method') return method.toUpperCase()
  if (component === '@path') return requestTarget(url).path
  if (component === '@query') return requestTarget(url).query
  // Draft 06's request target: path and query as sent.
  if (component === '@request-target') {
    const target = requestTarget(url)
    return `${target.path}${target.query ?? ''}`
  }
  // Other derived components (@authority, @target-uri...) are not part of either profile.
  if (component.startsWith('@')) return undefined
  return headers.get(component)
}

/**
 * The signature base both drafts build: one line per covered component, then the
 * signature parameters. They differ only in how a name is written (draft 15 quotes it).
 */
export interface SignatureBaseInput {
  /** Covered components, in the order the signature input lists them. */
  readonly components: readonly string[]
  /** The signature input's parameters exactly as sent (or received). */
  readonly rawParams: string
  readonly method: string
  readonly url: string
  readonly headers: Map<string, string>
}

export function buildSignatureBase(
  writeName: (name: string) => string,
  { components, rawParams, method, url, headers }: SignatureBaseInput,
): string | { missing: string } {
  const lines: string[] = []
  for (const component of components) {
    const value = componentValue(component, method, url, headers)
    if (value === undefined) return { missing: component }
    lines.push(`${writeName(component)}: ${value}`)
  }
  lines.push(`${writeName('@signature-params')}: ${rawParams}`)
  return lines.join('\n')
}
