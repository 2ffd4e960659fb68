/**
 * How retries space out: the first delay and the cap it doubles up to. One shape for the
 * sync engine (renderer/src/sync/backoff.ts) and the bridge poller (electron/services/poller/backoff.ts);
 * each keeps its own jitter and values. Never parsed from outside, so a plain type.
 */
export interface BackoffPolicy {
  /** The ceiling of the first retry's delay; it doubles per attempt. */
  readonly baseMs: number
  /** The ceiling never grows past this. */
  readonly capMs: number
}
