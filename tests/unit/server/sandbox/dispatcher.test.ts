import { describe, expect, it } from 'vitest'
import { packEvents, parseDelay } from '../../../../server/sandbox/dispatcher'
import type { UserEvent } from '../../../../shared/schemas'

const event = (i: number): UserEvent => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  created_at: `2025-01-01T00:00:0${i}Z`,
  type: 'USER.DATA_CHANGE_FAILED',
  webhook_id: '00000000-0000-4000-8000-000000000000',
  object: { user_id: '00000000-0000-4000-8000-000000000001', reason: 'x' },
})

describe('packEvents', () => {
  it('keeps packages within max_package_size, in order, at least one event each', () => {
    const events = [0, 1, 2, 3, 4].map(event)
    const one = JSON.stringify({ payload: [events[0]] }).length
    const packs = packEvents(events, one * 2)
    expect(packs.flat()).toEqual(events)
    for (const pack of packs) expect(JSON.stringify({ payload: pack }).length).toBeLessThanOrEqual(one * 2)
    expect(packs.length).toBe(3)
    expect(packEvents(events, 10).length).toBe(5)
    expect(packEvents(events, 1_000_000)).toEqual([events])
  })
})

describe('parseDelay', () => {
  it('reads the subscription delay', () => {
    expect(parseDelay('5s')).toBe(5000)
    expect(parseDelay('2m')).toBe(120_000)
  })
})
