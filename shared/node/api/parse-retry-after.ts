/**
 * Turns a `Retry-After` header into milliseconds to wait. The header is either whole
 * seconds or an HTTP date; anything else is ignored (the caller then backs off on its own).
 * Kept pure and tiny so it can be tested for every form a server might send.
 */

/** A server asking for more than this is treated as asking for this, so a bad header cannot park the queue for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000

const SECONDS = /^\s*(\d+)\s*$/

export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined
  const seconds = SECONDS.exec(value)
  if (seconds) return Math.min(Number(seconds[1]) * 1000, MAX_RETRY_AFTER_MS)
  // Only a date written like one: Date.parse accepts bare numbers and other oddities.
  if (!/[a-z]/i.test(value)) return undefined
  const at = Date.parse(value)
  if (Number.isNaN(at)) return undefined
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS)
}
