/**
 * Exponential backoff with jitter for reconnecting to the bridge: doubles per failure up
 * to a cap, and spreads retries ("equal jitter": half fixed, half random) so many clients
 * that lost the bridge together do not come back in one burst.
 */
import type { BackoffPolicy } from '../../../shared/backoff-policy'

export const BRIDGE_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 }

/** Delay before retry number `attempt` (1 for the first retry). `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = BRIDGE_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30))
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent)
  return Math.round(ceiling / 2 + (ceiling / 2) * random())
}
