import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createNotifier, type HangUpSignal } from '../../../../server/bridge/feed/notifier'

/** A connection's `close` event as a hang-up signal, the way the feed passes it. */
function closeOf(connection: EventEmitter): HangUpSignal {
  let closed = false
  connection.once('close', () => (closed = true))
  return {
    get aborted() {
      return closed
    },
    addEventListener: (_type, listener) => connection.once('close', listener),
    removeEventListener: (_type, listener) => connection.off('close', listener),
  }
}

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

  it('takes a connection close as the hang-up, and leaves no listener on it once woken', async () => {
    vi.useFakeTimers()
    const notifier = createNotifier()
    const woken = new EventEmitter()
    const wait = notifier.wait(60_000, closeOf(woken))
    notifier.notify()
    expect(await wait).toBe('notified')
    expect(woken.listenerCount('close')).toBe(1) // only closeOf's own flag

    const gone = new EventEmitter()
    const hangUp = closeOf(gone)
    const abandoned = notifier.wait(60_000, hangUp)
    gone.emit('close')
    expect(await abandoned).toBe('aborted')
    expect(notifier.waiting).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(await notifier.wait(60_000, hangUp)).toBe('aborted')
  })

  it('ends all waits on close and refuses new ones', async () => {
    const notifier = createNotifier()
    const wait = notifier.wait(60_000)
    notifier.closeAll()
    expect(await wait).toBe('closing')
    expect(await notifier.wait(60_000)).toBe('closing')
  })
})
