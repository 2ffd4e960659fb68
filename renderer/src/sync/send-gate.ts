/**
 * Whether the client may send now: it is online and no Retry-After pause is running. Runs
 * wait here (entries marked ahead included), so nothing leaves while paused or offline. It
 * also remembers what API answers said of the connection: the last success, the last error
 * and whether the network itself failed (then the status says offline).
 */
import type { ApiError } from '../../../shared/api-result'

export interface SendGate {
  readonly online: boolean
  /** The last answer was a network failure or a timeout. */
  readonly networkDown: boolean
  /** Local ms until which the whole client waits (the server's Retry-After). */
  readonly pausedUntil: number
  readonly lastError: string | null
  readonly lastSuccess: number | null
  setOnline(online: boolean): void
  /** The server asked every request to wait: pause the whole client. */
  pauseUntil(until: number): void
  /** Every API answer (null: success), for the status. */
  observe(error: ApiError | null): void
  /** An error that is not an API answer (a failed outbox read), for the status. */
  noteError(message: string): void
  /** Resolves once sending is allowed (or the gate closes). */
  untilSendable(): Promise<void>
  /** Wakes every waiter to look again (back online, shutdown). */
  open(): void
  /** Shutdown: waiters go on at once and find the engine stopped. */
  close(): void
}

export function createSendGate(now: () => number): SendGate {
  const waiters = new Set<() => void>()
  let closed = false
  let online = true
  let networkDown = false
  let pausedUntil = 0
  let lastError: string | null = null
  let lastSuccess: number | null = null

  function open(): void {
    const woken = [...waiters]
    waiters.clear()
    woken.forEach((wake) => wake())
  }

  return {
    get online() {
      return online
    },
    get networkDown() {
      return networkDown
    },
    get pausedUntil() {
      return pausedUntil
    },
    get lastError() {
      return lastError
    },
    get lastSuccess() {
      return lastSuccess
    },
    setOnline(value) {
      online = value
      if (value) networkDown = false
    },
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until)
    },
    observe(error) {
      if (error === null) {
        networkDown = false
        lastSuccess = now()
      } else {
        networkDown = error.kind === 'transient' && (error.reason === 'network' || error.reason === 'timeout')
        lastError = error.message
      }
    },
    noteError(message) {
      lastError = message
    },
    async untilSendable() {
      while (!closed && (!online || pausedUntil > now())) {
        const delay = pausedUntil - now()
        const gate = new Promise<void>((resolve) => waiters.add(resolve))
        const timer = delay > 0 ? setTimeout(open, delay) : null
        await gate
        if (timer !== null) clearTimeout(timer)
      }
    },
    open,
    close() {
      closed = true
      open()
    },
  }
}
