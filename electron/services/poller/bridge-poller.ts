/**
 * Keeps the renderer fed from the bridge: long-polls the feed with short-lived requests,
 * hands each batch over as a `feedBatch` push, and advances (and persists) its cursor only
 * after the renderer confirms the batch is applied — so a crash anywhere means a redelivery,
 * never a gap. Backs off while the bridge is down, polls at once when woken (resume,
 * unlock, network change), and on 410 asks the renderer for a full reconcile.
 */
import { assertNever } from '../../../shared/assert-never'
import type { BackoffPolicy } from '../../../shared/backoff-policy'
import type { PushSink } from '../runtime/push'
import { backoffDelay, BRIDGE_BACKOFF } from './backoff'
import type { CursorStore } from './cursor-store'
import { requestFeed, type FeedOutcome } from './feed-request'

/** The bridge holds a request this long when nothing is new. */
export const FEED_WAIT_SECONDS = 25
/** The hard deadline is the wait plus this, so a dead socket is given up quickly. */
export const FEED_DEADLINE_GRACE_MS = 10_000
/** A batch not confirmed within this is sent again (the renderer may have reloaded). */
export const CONFIRM_TIMEOUT_MS = 30_000
export const FEED_PAGE_LIMIT = 200

export interface BridgePollerOptions {
  readonly bridgeUrl: string
  readonly token: string
  readonly cursorStore: CursorStore
  readonly push: PushSink
  readonly waitSeconds?: number
  readonly deadlineGraceMs?: number
  readonly confirmTimeoutMs?: number
  readonly limit?: number
  readonly backoff?: BackoffPolicy
  readonly random?: () => number
  readonly log?: (message: string) => void
}

export type PollerState = 'stopped' | 'polling' | 'awaiting_confirm' | 'backing_off'

export interface PollerStatus {
  readonly state: PollerState
  readonly cursor: string | undefined
  readonly failures: number
  readonly lastError: string | undefined
}

export interface BridgePoller {
  start(): Promise<void>
  /** Aborts the request in flight and resolves once the loop has ended; the cursor stays where it was confirmed. */
  stop(): Promise<void>
  /** Polls at once: ends a backoff wait or a long-poll that may be dead after sleep. */
  wake(): void
  /** The renderer applied the batch handed over with this cursor; resolves once the cursor is stored. */
  confirm(cursor: string): Promise<void>
  /** A renderer (re)connected: a batch still awaiting confirmation went nowhere, send it again now. */
  redeliver(): void
  status(): PollerStatus
  onStatus(listener: (status: PollerStatus) => void): () => void
}

interface PendingConfirm {
  readonly cursor: string
  readonly resolve: (confirmed: boolean) => void
  /** Settles once the loop has stored the confirmed cursor (or failed to). */
  readonly stored: Promise<void>
}

export function createBridgePoller(options: BridgePollerOptions): BridgePoller {
  const log = options.log ?? (() => undefined)
  let running = false
  let loop: Promise<void> | undefined
  let wakeController = new AbortController()
  let pending: PendingConfirm | undefined
  /** The subscription's `live` last pushed; undefined: not told yet (or a renderer reconnected). */
  let lastLive: boolean | undefined
  let status: PollerStatus = { state: 'stopped', cursor: undefined, failures: 0, lastError: undefined }
  const listeners = new Set<(status: PollerStatus) => void>()

  function update(change: Partial<PollerStatus>): void {
    status = { ...status, ...change }
    for (const listener of listeners) listener(status)
  }

  async function advance(cursor: string | undefined): Promise<void> {
    await options.cursorStore.save(options.bridgeUrl, cursor)
    update({ cursor })
  }

  function waitForConfirm(cursor: string, stored: Promise<void>): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), options.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS)
      const finish = (confirmed: boolean): void => {
        clearTimeout(timer)
        if (pending?.cursor === cursor) pending = undefined
        resolve(confirmed)
      }
      pending = { cursor, resolve: finish, stored }
    })
  }

  function sleep(ms: number, wake: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        wake.removeEventListener('abort', done)
        resolve()
      }
      wake.addEventListener('abort', done, { once: true })
    })
  }

  async function handle(outcome: FeedOutcome, wake: AbortSignal): Promise<void> {
    switch (outcome.kind) {
      case 'batch': {
        update({ failures: 0, lastError: undefined })
        if (outcome.subscription !== undefined && outcome.subscription.live !== lastLive) {
          lastLive = outcome.subscription.live
          options.push('liveUpdates', outcome.subscription)
        }
        if (outcome.skipped > 0) log(`bridge poller: skipped ${outcome.skipped} event(s) that do not match the event schema`)
        if (outcome.events.length === 0) {
          if (outcome.nextCursor !== status.cursor) await advance(outcome.nextCursor)
          return
        }
        update({ state: 'awaiting_confirm' })
        let markStored = (): void => undefined
        const stored = new Promise<void>((resolve) => (markStored = resolve))
        const confirmed = waitForConfirm(outcome.nextCursor, stored)
        options.push('feedBatch', { cursor: outcome.nextCursor, events: [...outcome.events] })
        try {
          if (await confirmed) await advance(outcome.nextCursor)
          else if (running) log('bridge poller: batch not confirmed in time; it will be sent again')
        } finally {
          markStored()
        }
        return
      }
      case 'gone':
        log(`bridge poller: cursor gone (${outcome.reason}); asking for a full reconcile`)
        options.push('reconcileRequired', { reason: outcome.reason })
        await advance(outcome.headCursor)
        return
      case 'invalid_cursor':
        log(`bridge poller: cursor rejected (${outcome.message}); asking for a full reconcile`)
        options.push('reconcileRequired', { reason: 'invalid_cursor' })
        await advance(undefined)
        return
      case 'woken':
        return
      case 'failure': {
        const failures = status.failures + 1
        const delay = backoffDelay(failures, options.backoff ?? BRIDGE_BACKOFF, options.random)
        update({ state: 'backing_off', failures, lastError: outcome.message })
        log(`bridge poller: ${outcome.message}; retry ${failures} in ${delay} ms`)
        await sleep(delay, wake)
        return
      }
      default:
        return assertNever(outcome, 'feed outcome')
    }
  }

  async function run(): Promise<void> {
    while (running) {
      const wake = wakeController.signal
      if (wake.aborted) wakeController = new AbortController()
      const signal = wakeController.signal
      update({ state: 'polling' })
      const waitSeconds = options.waitSeconds ?? FEED_WAIT_SECONDS
      const outcome = await requestFeed({
        bridgeUrl: options.bridgeUrl,
        token: options.token,
        after: status.cursor,
        waitSeconds,
        limit: options.limit ?? FEED_PAGE_LIMIT,
        timeoutMs: waitSeconds * 1000 + (options.deadlineGraceMs ?? FEED_DEADLINE_GRACE_MS),
        wake: signal,
      })
      if (!running) break
      try {
        await handle(outcome, signal)
      } catch (error) {
        // Persisting the cursor failed: keep the old one (redelivery is safe) and back off.
        update({ lastError: error instanceof Error ? error.message : String(error) })
        await sleep(backoffDelay(status.failures + 1, options.backoff ?? BRIDGE_BACKOFF, options.random), signal)
      }
    }
    update({ state: 'stopped' })
  }

  /**
   * Starts and stops run one after another: a start waits for an earlier stop's loop to end,
   * so an old loop can never see `running` set again and poll beside the new one.
   */
  let lifecycle: Promise<void> = Promise.resolve()
  function serially(step: () => Promise<void>): Promise<void> {
    const done = lifecycle.then(step)
    lifecycle = done.catch(() => undefined)
    return done
  }

  /**
   * The saved cursor, or none when it cannot be read: the bridge then redelivers from its
   * oldest event (applying is idempotent), which beats not polling at all.
   */
  async function loadCursor(): Promise<string | undefined> {
    try {
      return await options.cursorStore.load(options.bridgeUrl)
    } catch (error) {
      update({ lastError: `the saved feed cursor could not be read (${error instanceof Error ? error.message : String(error)}); starting from the oldest event` })
      return undefined
    }
  }

  function halt(): void {
    running = false
    wakeController.abort()
    pending?.resolve(false)
  }

  return {
    start() {
      return serially(async () => {
        if (running) return
        running = true
        wakeController = new AbortController()
        update({ cursor: await loadCursor() })
        // A stop during the load has cleared `running`: the loop then ends before polling.
        loop = run()
      })
    },
    stop() {
      halt() // at once, not behind a start still loading its cursor
      return serially(async () => {
        halt() // again: a start queued before this stop may have begun a loop since
        await loop
        loop = undefined
      })
    },
    wake() {
      wakeController.abort()
    },
    async confirm(cursor) {
      const current = pending
      if (current?.cursor !== cursor) return
      current.resolve(true)
      await current.stored
    },
    redeliver() {
      // A (re)connected renderer hears the subscription's state with the next page.
      lastLive = undefined
      if (!pending) return
      pending.resolve(false)
      wakeController.abort()
    },
    status: () => status,
    onStatus(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
