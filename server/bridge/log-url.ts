/**
 * What the bridge's log may say about a request URL: the path with any segment that could
 * be a secret (a token sent the wrong way, a document capability) masked, and query keys
 * without their values. Tokens belong in the Authorization header, which is never logged.
 */
const MASK = '[redacted]'
/** Route words are short; tokens, capabilities and cursors are long runs of base64url. */
const SECRET_LOOKING_SEGMENT = /^[A-Za-z0-9_~.%+=-]{16,}$/
/** Query values that are plain small numbers say nothing secret and help reading logs. */
const SAFE_QUERY_VALUE = /^[0-9]{1,6}(\.[0-9]{1,3})?$/

export function redactUrl(url: string): string {
  const at = url.indexOf('?')
  const path = at === -1 ? url : url.slice(0, at)
  const maskedPath = path
    .split('/')
    .map((segment) => (SECRET_LOOKING_SEGMENT.test(segment) ? MASK : segment))
    .join('/')
  if (at === -1) return maskedPath
  const query = url
    .slice(at + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const key = eq === -1 ? pair : pair.slice(0, eq)
      const value = eq === -1 ? '' : pair.slice(eq + 1)
      const safeKey = SECRET_LOOKING_SEGMENT.test(key) || key.length > 32 ? MASK : key
      return eq === -1 ? safeKey : `${safeKey}=${SAFE_QUERY_VALUE.test(value) ? value : MASK}`
    })
  return `${maskedPath}?${query.join('&')}`
}
