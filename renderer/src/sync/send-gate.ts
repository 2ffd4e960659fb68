/**
 * Whether the client may send now: it is online, no Retry-After pause is running, the API has
 * not rejected its credentials, and the rate cap has a token left. Runs wait here (entries
 * marked ahead included), so nothing leaves while paused or offline, and the request rate
 * stays bounded whatever fails (rule 12). It also remembers what answers said of the
 * connection: the last success, the last error, whether the network or the app service
 * (main, the web host) failed, and why credentials were rejected.
 */
import type { ApiError } from '../../../shared/api-result'

export interface SendGate {
  readonly online: boolean
  /** The last answer was a network failure or a timeout. */
  readonly networkDown: boolean
  /** The last answer was a server error (5xx): the API is there but not serving. */
  readonly serverDown: boolean
  /** Local ms until which the whole client waits (the server's Retry-After). */
  readonly pausedUntil: number
  readonly lastError: string | null
  readonly lastSuccess: number | null
  /** Why the API refused the credentials (null: not refused); nothing is sent until `resume()`. */
  readonly credentialsRejected: string | null
  /** The last call could not reach main or the web host at all. */
  readonly serviceUnreachable: boolean
  setOnline(online: boolean): void
  /** The person retried or changed settings: try the credentials again. */
  resume(): void
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
  /** Requests per second allowed now (lower than the cap for a while after a 429). */
  readonly ratePerSecond: number
}

/**
 * Requests per second at most, with a burst of as many after a quiet second (a token bucket
 * that starts empty): a third of the
 * provider's documented 300 per second per client id (several laptops share a client id).
 * A 429 lowers it further for a while (see createTokenBucket).
 */
export const DEFAULT_RATE_PER_SECOND = 100

export function createSendGate(now: () => number, ratePerSecond: number = DEFAULT_RATE_PER_SECOND): SendGate {
  const waiters = new Set<() => void>()
  const bucket = createTokenBucket(ratePerSecond, now)
  let credentialsRejected: string | null = null
  let serviceUnreachable = false
  let closed = false
  let online = true
  let networkDown = false
  let serverDown = false
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
    get serverDown() {
      return serverDown
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
    get credentialsRejected() {
      return credentialsRejected
    },
    get serviceUnreachable() {
      return serviceUnreachable
    },
    get ratePerSecond() {
      return bucket.rate
    },
    resume() {
      credentialsRejected = null
      open()
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
        bucket.speedUp()
        networkDown = false
        serverDown = false
        serviceUnreachable = false
        lastSuccess = now()
        return
      }
      if (error.kind === 'transient' && error.reason === 'rate_limited') bucket.slowDown()
      networkDown = error.kind === 'transient' && (error.reason === 'network' || error.reason === 'timeout')
      // A 503 is an answer, but not the API working: the status must not say "Online" meanwhile.
      serverDown = error.kind === 'transient' && error.reason === 'server'
      serviceUnreachable = error.kind === 'transient' && error.reason === 'app_service'
      // Main already refreshed the token once: a second refusal needs the person (rule 12).
      if (error.kind === 'auth' || error.kind === 'not_configured') credentialsRejected = error.message
      lastError = error.message
    },
    noteError(message) {
      lastError = message
    },
    async untilSendable() {
      for (;;) {
        while (!closed && (!online || credentialsRejected !== null || pausedUntil > now())) {
          const delay = pausedUntil - now()
          const gate = new Promise<void>((resolve) => waiters.add(resolve))
          const timer = delay > 0 ? setTimeout(open, delay) : null
          await gate
          if (timer !== null) clearTimeout(timer)
        }
        if (closed) return
        const wait = bucket.take()
        if (wait === 0) return
        await new Promise((resolve) => setTimeout(resolve, wait))
      }
    },
    open,
    close() {
      closed = true
      open()
    },
  }
}

export interface TokenBucket {
  /** 0 (a token spent), or ms until the next token. */
  take(): number
  /** The server said "too many requests": halve the rate (multiplicative decrease). */
  slowDown(): void
  /** A request succeeded: raise the rate by one a second, up to the configured cap (additive increase). */
  speedUp(): void
  /** Requests per second now (Infinity: no cap). */
  readonly rate: number
}

/**
 * A token bucket that backs off like TCP (AIMD): every 429 halves the rate, every success
 * adds one request a second back, up to the configured cap. The provider's limit is per
 * client id, shared by every laptop set up with it, so a fixed cap alone cannot be right
 * for all of them at once. Without a configured cap, the first 429 starts one at half the
 * rate of the last second.
 */
export function createTokenBucket(ratePerSecond: number, now: () => number): TokenBucket {
  // A rate below one a second would stall every send.
  const ceiling = Number.isFinite(ratePerSecond) ? Math.max(1, ratePerSecond) : Number.POSITIVE_INFINITY
  let rate = ceiling
  // Starts empty and fills at the rate: an engine started again (a reload after a crash, a
  // switch of API target) cannot add a second burst to the one its predecessor just spent.
  let tokens = 0
  let refilledAt = now()
  // Requests taken in the current and the last second, to know the rate an unbounded bucket ran at.
  let windowStart = refilledAt
  let windowCount = 0
  let lastWindowCount = 0

  function count(at: number): void {
    if (at - windowStart >= 1000) {
      lastWindowCount = at - windowStart >= 2000 ? 0 : windowCount
      windowStart = at
      windowCount = 0
    }
    windowCount += 1
  }

  return {
    get rate() {
      return rate
    },
    take() {
      const at = now()
      if (!Number.isFinite(rate)) {
        count(at)
        return 0
      }
      tokens = Math.min(rate, tokens + ((at - refilledAt) * rate) / 1000)
      refilledAt = at
      if (tokens >= 1) {
        tokens -= 1
        count(at)
        return 0
      }
      return Math.ceil(((1 - tokens) * 1000) / rate)
    },
    slowDown() {
      const at = now()
      const current = Number.isFinite(rate) ? rate : Math.max(windowCount, lastWindowCount)
      rate = Math.max(1, current / 2)
      // The burst is spent too: what is already queued waits for the slower rate.
      tokens = Math.min(tokens, 0)
      refilledAt = at
    },
    speedUp() {
      if (rate < ceiling) rate = Math.min(ceiling, rate + 1)
    },
  }
}
