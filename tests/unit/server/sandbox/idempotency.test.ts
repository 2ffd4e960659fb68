import { describe, expect, it } from 'vitest'
import { IDEMPOTENCY_RETENTION_MS, IdempotencyStore } from '../../../../server/sandbox/idempotency'

describe('IdempotencyStore', () => {
  it('replays, refuses another body, reports in-flight, forgets after 24 h and after abandon', () => {
    let now = 0
    const store = new IdempotencyStore(() => now)
    const first = store.claim('c', 'k', 'h1')
    expect(first.kind).toBe('new')
    expect(store.claim('c', 'k', 'h1').kind).toBe('in_flight')
    expect(store.claim('c', 'k', 'h2').kind).toBe('body_mismatch')
    if (first.kind !== 'new') throw new Error('unreachable')
    first.complete({ status: 200, body: { id: 1 } })
    expect(store.claim('c', 'k', 'h1')).toEqual({ kind: 'replay', answer: { status: 200, body: { id: 1 } } })
    expect(store.claim('other-client', 'k', 'h1').kind).toBe('new')
    now += IDEMPOTENCY_RETENTION_MS
    expect(store.claim('c', 'k', 'h2').kind).toBe('new')

    const abandoned = store.claim('c', 'k2', 'h')
    if (abandoned.kind !== 'new') throw new Error('unreachable')
    abandoned.abandon()
    expect(store.claim('c', 'k2', 'h').kind).toBe('new')
  })
})
