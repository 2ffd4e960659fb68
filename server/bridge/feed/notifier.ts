/**
 * Wakes long-polling feed requests the moment new events are stored: an in-process set of
 * waiters, each with its own timer and abort signal, so nothing polls the database and a
 * client that hangs up leaves no waiter or timer behind.
 */
export type WakeReason = 'notified' | 'timeout' | 'aborted' | 'closing'

interface Waiter {
  readonly finish: (reason: WakeReason) => void
}

/**
 * What can end a wait early: an AbortSignal, or anything shaped like one. The feed passes
 * its connection's `close` event directly, since a fresh AbortSignal's first listener costs
 * tens of microseconds, paid by every long-poll that parks.
 */
export interface HangUpSignal {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

export interface Notifier {
  /** Resolves on the next `notify()`, after `timeoutMs`, on abort, or when the bridge closes. */
  wait(timeoutMs: number, signal?: HangUpSignal): Promise<WakeReason>
  notify(): void
  /** Ends every wait (bridge shutdown); later waits resolve at once. */
  closeAll(): void
  readonly waiting: number
  /** Counts `notify()` calls: reads started in an earlier generation may predate new events. */
  readonly generation: number
}

export function createNotifier(): Notifier {
  const waiters = new Set<Waiter>()
  let closed = false
  let generation = 0

  const wakeAll = (reason: WakeReason): void => {
    for (const waiter of [...waiters]) waiter.finish(reason)
  }

  return {
    wait(timeoutMs, signal) {
      if (closed) return Promise.resolve('closing')
      if (signal?.aborted === true) return Promise.resolve('aborted')
      return new Promise<WakeReason>((resolve) => {
        const onAbort = (): void => waiter.finish('aborted')
        const timer = setTimeout(() => waiter.finish('timeout'), timeoutMs)
        const waiter: Waiter = {
          finish(reason) {
            if (!waiters.delete(waiter)) return
            clearTimeout(timer)
            signal?.removeEventListener('abort', onAbort)
            resolve(reason)
          },
        }
        waiters.add(waiter)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    },
    notify() {
      generation += 1
      wakeAll('notified')
    },
    closeAll() {
      closed = true
      wakeAll('closing')
    },
    get waiting() {
      return waiters.size
    },
    get generation() {
      return generation
    },
  }
}
