import { describe, expect, it } from 'vitest'
import { planCompaction } from '../../../../server/bridge/storage/compaction-plan'

const base = { expiredByAgeThrough: undefined, beyondCountThrough: undefined, oldestRecentCursor: undefined, compactedThrough: 0 }

describe('planCompaction', () => {
  it('drops nothing when neither age nor count says so', () => {
    expect(planCompaction(base)).toBeUndefined()
  })

  it('takes the further of the age and count limits', () => {
    expect(planCompaction({ ...base, expiredByAgeThrough: 10, beyondCountThrough: 25 })).toBe(25)
    expect(planCompaction({ ...base, expiredByAgeThrough: 30, beyondCountThrough: 25 })).toBe(30)
  })

  it('never drops events newer than the oldest recently seen cursor', () => {
    expect(planCompaction({ ...base, expiredByAgeThrough: 30, oldestRecentCursor: 12 })).toBe(12)
    expect(planCompaction({ ...base, beyondCountThrough: 30, oldestRecentCursor: 40 })).toBe(30)
  })

  it('does nothing when earlier compactions already went as far', () => {
    expect(planCompaction({ ...base, expiredByAgeThrough: 30, compactedThrough: 30 })).toBeUndefined()
    expect(planCompaction({ ...base, expiredByAgeThrough: 30, oldestRecentCursor: 5, compactedThrough: 8 })).toBeUndefined()
  })
})
