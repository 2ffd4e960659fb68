import { afterEach, describe, expect, it, vi } from 'vitest'
import { createNotifier } from '../../../../server/bridge/feed/notifier'

describe('feed notifier', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('wakes every waiter on notify and forgets them', async () => {
    const notifier = createNotifier()
    const waits = [notifier.wait(60_000), notifier.wait(60_000)]
    expect(notifier.waiting).toBe(2)
    notifier.notify()
    expect(await Promise.all(waits)).toEqual(['notified', 'notified'])
    expect(notifier.waiting).toBe(0)
    expect(notifier.generation).toBe(1)
  })

  it('times out and clears its timer', async () => {
    vi.useFakeTimers()
    const notifier = createNotifier()
    const wait = notifier.wait(1_000)
    vi.advanceTimersByTime(1_000)
    expect(await wait).toBe('timeout')
    expect(notifier.waiting).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('releases an aborted waiter at once, leaving no timer behind', async () => {
    vi.useFakeTimers()
    const notifier = createNotifier()
    const hangUp = new AbortController()
    const wait = notifier.wait(60_000, hangUp.signal)
    hangUp.abort()
    expect(await wait).toBe('aborted')
    expect(notifier.waiting).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(await notifier.wait(60_000, hangUp.signal)).toBe('aborted')
  })

  it('ends all waits on close and refuses new ones', async () => {
    const notifier = createNotifier()
    const wait = notifier.wait(60_000)
    notifier.closeAll()
    expect(await wait).toBe('closing')
    expect(await notifier.wait(60_000)).toBe('closing')
  })
})
