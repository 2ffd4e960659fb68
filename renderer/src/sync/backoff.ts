/**
 * Retry delays: exponential backoff with full jitter (a random delay between 0 and the
 * capped exponential ceiling), so clients that failed together do not retry together.
 * The server's Retry-After is a floor the jitter never goes below.
 */
import type { BackoffPolicy } from '../../../shared/backoff-policy'

export type { BackoffPolicy }

export const RETRY_BASE_MS = 1_000
export const RETRY_CAP_MS = 5 * 60_000

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: RETRY_BASE_MS, capMs: RETRY_CAP_MS }

// 2^30 already exceeds any sane cap; stops the power overflowing to Infinity.
const MAX_EXPONENT = 30

/** The ceiling for the given attempt (1 = first retry). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), MAX_EXPONENT)
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent)
}

/** The delay before the given attempt: full jitter under the ceiling, never below Retry-After. */
export function retryDelay(attempt: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const jittered = Math.floor(random() * backoffCeiling(attempt, policy))
  return Math.max(jittered, retryAfterMs ?? 0)
}
