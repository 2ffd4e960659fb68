// One BackoffPolicy shape for the sync engine and the bridge poller: the same policy object
// drives both, each with its own jitter, and the two default policies keep their values.
import { describe, expect, it } from 'vitest'
import { backoffDelay, BRIDGE_BACKOFF } from '../../../electron/services/poller/backoff'
import { backoffCeiling, DEFAULT_BACKOFF, retryDelay } from '../../../renderer/src/sync/backoff'
import type { BackoffPolicy } from '../../../shared/backoff-policy'

describe('BackoffPolicy', () => {
  it('is one shape both sides take: the same policy gives the same ceilings', () => {
    const policy: BackoffPolicy = { baseMs: 250, capMs: 2_000 }
    const attempts = [1, 2, 3, 4, 5, 6]
    const ceilings = attempts.map((n) => backoffCeiling(n, policy))
    expect(ceilings).toEqual([250, 500, 1_000, 2_000, 2_000, 2_000])
    // The poller's equal jitter tops out at the ceiling; the engine's full jitter stays just under it.
    expect(attempts.map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual(ceilings)
    expect(attempts.map((n) => backoffDelay(n, policy, () => 0))).toEqual(ceilings.map((c) => c / 2))
    expect(attempts.map((n) => retryDelay(n, policy, () => 0.999999))).toEqual(ceilings.map((c) => c - 1))
  })

  it('keeps each default: the engine retries from 1 s up to 5 min, the poller from 1 s up to 1 min', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 1_000, capMs: 300_000 })
    expect(BRIDGE_BACKOFF).toEqual({ baseMs: 1_000, capMs: 60_000 })
  })
})
