import { describe, expect, it } from 'vitest'
import { backoffCeiling, retryDelay } from '../../../../renderer/src/sync/backoff'

const policy = { baseMs: 100, capMs: 1_000 }

describe('backoff', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffCeiling(a, policy))).toEqual([100, 200, 400, 800, 1_000, 1_000])
    expect(backoffCeiling(10_000, policy)).toBe(1_000)
  })

  it('jitters fully between 0 and the ceiling', () => {
    expect(retryDelay(3, policy, () => 0)).toBe(0)
    expect(retryDelay(3, policy, () => 0.5)).toBe(200)
    expect(retryDelay(3, policy, () => 0.999)).toBe(399)
  })

  it('never goes below Retry-After', () => {
    expect(retryDelay(1, policy, () => 0, 5_000)).toBe(5_000)
    expect(retryDelay(4, policy, () => 0.999, 10)).toBe(799)
  })
})
