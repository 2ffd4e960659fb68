/**
 * The sync engine: holds the drain lock, pumps runnable lane heads into bounded concurrent
 * sends, applies feed batches (then confirms their cursor), runs full reconciles on first
 * start and periodically, and publishes its status. Storage and transport are injected;
 * the rules live in the small modules it composes.
 */
import type { ApiError } from '../../../shared/api-result'
import type { FeedBatch } from '../../../shared/ipc/contract'
import type { OutpostDb } from '../db/database'
import type { OutboxEntry } from '../db/rows'
import { onOutboxChanged } from '../db/outbox-signal'
import { INITIAL_STATUS, readSyncState, writeSyncState, type ReconcileProgress, type SyncPhase } from '../db/sync-state'
import { applyFeedBatch, pruneAppliedEvents, type BatchReport } from './apply-feed-batch'
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff'
import { acquireDrainLock, type ReleaseLock } from './drain-lock'
import { IDEMPOTENCY_KEY_LIFETIME_MS } from './find-created-user'
import { commitEach, createGroupCommitter } from './group-commit'
import { NetworkSlots } from './network-slots'
import { RunnableSelector } from './next-runnable-entries'
import { runFullReconcile, type ReconcileResult } from './reconcile'
import { runEntry, type RunContext } from './run-entry'
import type { SyncTransport } from './transport'

/** Users whose entries are sent at the same time. */
export const DEFAULT_CONCURRENCY = 16
/** An accepted data change without its event is read back after this. */
export const DATA_CHANGE_AWAIT_MS = 2 * 60_000
/** A full reconcile repairs missed events this often. */
export const RECONCILE_INTERVAL_MS = 6 * 60 * 60_000
/** A failed reconcile is tried again after this. */
export const RECONCILE_RETRY_MS = 60_000
/** Outbox entries read per request (per lane) while looking for runnable lane heads. */
const SCAN_CHUNK_PER_LANE = 4
/** The stored status (read by other tabs and the status bar's last success) trails the live one by this much at most. */
export const STATUS_WRITE_DELAY_MS = 250
/** Safety net: look at the outbox this often even without a signal (another tab's enqueue). */
export const POLL_INTERVAL_MS = 30_000

export interface SyncEngineOptions {
  readonly db: OutpostDb
  readonly transport: SyncTransport
  readonly concurrency?: number
  /**
   * Entries marked "sending" ahead, waiting for a network slot, so a freed slot sends at
   * once (default: `concurrency`). 0: each entry is marked only when a slot is free.
   */
  readonly markAhead?: number
  readonly backoff?: BackoffPolicy
  readonly awaitTimeoutMs?: number
  readonly keyLifetimeMs?: number
  readonly reconcileIntervalMs?: number
  readonly reconcileRetryMs?: number
  readonly reconcilePageSize?: number
  /** false: reconcile only when asked (tests that count requests). */
  readonly autoReconcile?: boolean
  readonly pollIntervalMs?: number
  readonly lockName?: string
  /** false: each outbox write in its own transaction (default: answers arriving together share one). */
  readonly groupCommit?: boolean
  readonly now?: () => number
  readonly random?: () => number
}

export interface EngineSnapshot {
  readonly phase: SyncPhase
  readonly online: boolean
  /** This engine holds the drain lock (another tab may hold it instead). */
  readonly leader: boolean
  readonly inFlight: number
  readonly pausedUntil: number
  readonly lastError: string | null
  readonly lastSuccess: number | null
  readonly reconcile: ReconcileProgress | null
}

export interface SyncEngine {
  /** Starts waiting for the drain lock; resolves at once (the lock may come later). */
  start(): void
  /** Stops and waits for work in flight to settle (their answers are not committed). */
  stop(): Promise<void>
  /** Stops at once, as a crash or a closed tab would: in-flight answers are dropped. */
  crash(): void
  /** Look at the outbox now (after an enqueue, on "sync now"). */
  kick(): void
  setOnline(online: boolean): void
  applyFeedBatch(batch: FeedBatch): Promise<BatchReport>
  reconcile(): Promise<ReconcileResult>
  snapshot(): EngineSnapshot
  subscribe(listener: (snapshot: EngineSnapshot) => void): () => void
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, transport } = options
  const now = options.now ?? Date.now
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  const awaitTimeoutMs = options.awaitTimeoutMs ?? DATA_CHANGE_AWAIT_MS
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS
  const reconcileIntervalMs = options.reconcileIntervalMs ?? RECONCILE_INTERVAL_MS
  const reconcileRetryMs = options.reconcileRetryMs ?? RECONCILE_RETRY_MS
  const abort = new AbortController()
  /** Lanes with an entry running (marked and waiting for a slot, sending, or committing its answer): one per user. */
  const inFlight = new Map<string, Promise<void>>()
  const slots = new NetworkSlots(concurrency)
  const markAhead = options.markAhead ?? concurrency
  /** Runs waiting for the client to be sendable again (see untilSendable). */
  const waiters = new Set<() => void>()
  /** Runnable lane heads from the last outbox scan, not started yet. */
  let candidates: OutboxEntry[] = []
  const listeners = new Set<(s: EngineSnapshot) => void>()
  const unsubscribers: Array<() => void> = []

  let stopped = false
  let started = false
  let release: ReleaseLock | null = null
  let online = true
  let networkDown = false
  let pausedUntil = 0
  let lastError: string | null = null
  let lastSuccess: number | null = null
  let reconcileProgress: ReconcileProgress | null = null
  let reconciling: Promise<ReconcileResult> | null = null
  let pulling = 0
  let feedChain: Promise<unknown> = Promise.resolve()
  let wakeTimer: ReturnType<typeof setTimeout> | null = null
  let reconcileTimer: ReturnType<typeof setTimeout> | null = null
  let pumping = false
  let kickScheduled = false
  let pumpAgain = false
  let persistedPhase: SyncPhase | null = null
  let statusTimer: ReturnType<typeof setTimeout> | null = null

  const ctx: RunContext = {
    db,
    transport,
    now,
    random: options.random ?? Math.random,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    keyLifetimeMs: options.keyLifetimeMs ?? IDEMPOTENCY_KEY_LIFETIME_MS,
    isStopped: () => stopped,
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until)
      publish()
    },
    observe,
    commit: options.groupCommit === false ? commitEach : createGroupCommitter(db),
    answered: (entry) => slots.release(entry.userKey),
    async acquireSlot(entry) {
      await slots.acquire(entry.userKey)
      await untilSendable()
    },
  }

  /**
   * Entries marked ahead wait here too: nothing is sent while the client is paused
   * (Retry-After) or offline. Woken by setOnline(true), the pause's end and shutdown.
   */
  async function untilSendable(): Promise<void> {
    while (!stopped && (!online || pausedUntil > now())) {
      const delay = pausedUntil - now()
      const gate = new Promise<void>((resolve) => waiters.add(resolve))
      const timer = delay > 0 ? setTimeout(openGate, delay) : null
      await gate
      if (timer !== null) clearTimeout(timer)
    }
  }

  function openGate(): void {
    const woken = [...waiters]
    waiters.clear()
    woken.forEach((wake) => wake())
  }

  function observe(error: ApiError | null): void {
    if (error === null) {
      networkDown = false
      lastSuccess = now()
    } else {
      networkDown = error.kind === 'transient' && (error.reason === 'network' || error.reason === 'timeout')
      lastError = error.message
    }
  }

  function phase(): SyncPhase {
    if (!online || networkDown) return 'offline'
    if (reconciling !== null) return 'reconciling'
    if (pulling > 0) return 'pulling'
    if (inFlight.size > 0) return 'pushing'
    return 'idle'
  }

  function snapshot(): EngineSnapshot {
    return {
      phase: phase(),
      online,
      leader: release !== null,
      inFlight: inFlight.size,
      pausedUntil,
      lastError,
      lastSuccess,
      reconcile: reconcileProgress,
    }
  }

  function publish(): void {
    const snap = snapshot()
    listeners.forEach((l) => l(snap))
    if (snap.phase !== persistedPhase && !stopped && statusTimer === null) {
      // Coalesced: a busy drain flips between pushing and idle many times a second, and each
      // write would be a transaction competing with the outbox's own.
      statusTimer = setTimeout(() => {
        statusTimer = null
        if (stopped) return
        const latest = snapshot()
        persistedPhase = latest.phase
        void persistStatus(latest)
      }, STATUS_WRITE_DELAY_MS)
    }
  }

  async function persistStatus(snap: EngineSnapshot): Promise<void> {
    try {
      await db.transaction('rw', db.syncState, async () => {
        await writeSyncState(db, 'status', {
          ...INITIAL_STATUS,
          phase: snap.phase,
          online: snap.online,
          pausedUntil: snap.pausedUntil,
          lastError: snap.lastError,
        })
        if (snap.lastSuccess !== null) await writeSyncState(db, 'lastSuccess', snap.lastSuccess)
      })
    } catch (error) {
      // The status row is a convenience for the UI; a closed database during shutdown is expected.
      if (!stopped) console.warn('sync: could not store status', error)
    }
  }

  function schedule(at: number | null): void {
    if (wakeTimer !== null) clearTimeout(wakeTimer)
    wakeTimer = null
    if (stopped) return
    const delay = at === null ? pollIntervalMs : Math.min(Math.max(0, at - now()), pollIntervalMs)
    wakeTimer = setTimeout(() => {
      wakeTimer = null
      kick()
    }, delay)
  }

  /**
   * Asks for a pump on the next macrotask, coalescing every kick until then: answers that a
   * group commit resolves together free their lanes first, so one outbox read refills them all
   * and their "sending" marks share one transaction.
   */
  function kick(): void {
    if (stopped || release === null || kickScheduled) return
    kickScheduled = true
    setTimeout(() => {
      kickScheduled = false
      pump()
    }, 0)
  }

  function pump(): void {
    if (stopped || release === null) return
    if (pumping) {
      pumpAgain = true
      return
    }
    pumping = true
    void pumpLoop().finally(() => {
      pumping = false
    })
  }

  async function pumpLoop(): Promise<void> {
    try {
      do {
        pumpAgain = false
        await pumpOnce()
      } while (pumpAgain && !stopped)
    } catch (error) {
      if (stopped) return
      lastError = error instanceof Error ? error.message : String(error)
      console.warn('sync: pump failed', error)
      schedule(null)
    }
  }

  async function pumpOnce(): Promise<void> {
    if (stopped) return
    const at = now()
    if (!online) return publish()
    if (pausedUntil > at) {
      schedule(pausedUntil)
      return publish()
    }
    // Lane heads found by the last scan go first: no outbox read between an answer and the
    // next start (whose "sending" mark then shares the answer's group commit).
    startCandidates()
    const free = concurrency + markAhead - inFlight.size
    if (free <= 0) return publish()
    // Runnable heads for the free slots, and as many again to start later without a read.
    const selector = new RunnableSelector({ now: at, busyLanes: new Set(inFlight.keys()), capacity: free + concurrency, awaitTimeoutMs })
    // Read in chunks (one getAll each, not a cursor round trip per entry) and stop once full.
    const scanChunk = concurrency * SCAN_CHUNK_PER_LANE
    for (let after = 0; !selector.full;) {
      const chunk = await db.outbox.where('seq').above(after).limit(scanChunk).toArray()
      for (const entry of chunk) selector.offer(entry)
      if (chunk.length < scanChunk) break
      after = chunk.at(-1)?.seq ?? after
    }
    if (stopped) return
    const { runnable, wakeAt } = selector.result()
    candidates = [...runnable]
    startCandidates()
    // A full selector stopped early: completions pump again, so only the poll is needed.
    schedule(selector.full ? null : wakeAt)
    publish()
  }

  /**
   * Starts buffered lane heads: one per network slot, and `markAhead` more that are marked
   * while they wait for a slot. A buffered head may have been settled or discarded since
   * the scan; its "sending" mark re-reads it and then skips it.
   */
  function startCandidates(): void {
    while (inFlight.size < concurrency + markAhead && candidates.length > 0) {
      const entry = candidates.shift()!
      if (!inFlight.has(entry.userKey)) start(entry)
    }
  }

  function start(entry: OutboxEntry): void {
    const lane = entry.userKey
    const run = runEntry(ctx, entry)
      .catch((error: unknown) => {
        if (!stopped) console.warn('sync: entry failed to run', entry.id, error)
      })
      .finally(() => {
        slots.release(lane)
        inFlight.delete(lane)
        publish()
        kick()
      })
    inFlight.set(lane, run)
  }

  async function reconcile(): Promise<ReconcileResult> {
    if (reconciling !== null) return reconciling
    const run = runFullReconcile(db, transport, {
      now,
      pageSize: options.reconcilePageSize,
      isStopped: () => stopped,
      onProgress(progress) {
        reconcileProgress = progress
        publish()
      },
    })
    reconciling = run
    publish()
    try {
      const result = await run
      if (result.ok || result.error !== null) observe(result.ok ? null : result.error)
      // The log of applied events only needs to outlive redeliveries; a reconcile covers the rest.
      if (result.ok) await pruneAppliedEvents(db, now())
      return result
    } finally {
      reconciling = null
      publish()
    }
  }

  function scheduleReconcile(delay: number): void {
    if (reconcileTimer !== null) clearTimeout(reconcileTimer)
    if (stopped || options.autoReconcile === false) return
    reconcileTimer = setTimeout(() => void periodicReconcile(), delay)
  }

  async function periodicReconcile(): Promise<void> {
    if (stopped) return
    try {
      const result = await reconcile()
      scheduleReconcile(result.ok ? reconcileIntervalMs : reconcileRetryMs)
    } catch (error) {
      if (!stopped) console.warn('sync: reconcile failed', error)
      scheduleReconcile(reconcileRetryMs)
    }
  }

  async function becomeLeader(): Promise<void> {
    try {
      release = await acquireDrainLock(options.lockName ?? `outpost-drain:${db.name}`, abort.signal)
    } catch {
      return // aborted by stop()
    }
    if (stopped) return releaseLock()
    publish()
    kick()
    if (options.autoReconcile !== false) {
      const last = await readSyncState(db, 'lastFullReconcile')
      scheduleReconcile(last === null ? 0 : Math.max(0, last + reconcileIntervalMs - now()))
    }
  }

  function releaseLock(): void {
    release?.()
    release = null
  }

  function applyBatch(batch: FeedBatch): Promise<BatchReport> {
    const next = feedChain.then(async () => {
      pulling += 1
      publish()
      try {
        const report = await applyFeedBatch(db, batch, now())
        // Only now, with the events committed, may the bridge forget them.
        if (!stopped) await transport.confirmFeedBatch({ cursor: batch.cursor })
        if (report.applied > 0) kick()
        return report
      } finally {
        pulling -= 1
        publish()
      }
    })
    feedChain = next.catch(() => undefined)
    return next
  }

  function shutdown(): void {
    stopped = true
    abort.abort()
    slots.close()
    openGate()
    if (wakeTimer !== null) clearTimeout(wakeTimer)
    if (reconcileTimer !== null) clearTimeout(reconcileTimer)
    if (statusTimer !== null) clearTimeout(statusTimer)
    unsubscribers.splice(0).forEach((u) => u())
  }

  return {
    start() {
      if (started) return
      started = true
      unsubscribers.push(onOutboxChanged(kick))
      if (transport.on !== undefined) {
        unsubscribers.push(
          transport.on('feedBatch', (batch) => void applyBatch(batch).catch((e: unknown) => console.warn('sync: feed batch failed', e))),
          transport.on('connectivityChanged', (state) => this.setOnline(state.online)),
          transport.on('reconcileRequired', () => void reconcile().catch((e: unknown) => console.warn('sync: reconcile failed', e))),
          transport.on('syncRequested', () => kick()),
        )
      }
      void becomeLeader()
    },
    async stop() {
      shutdown()
      await Promise.allSettled([...inFlight.values(), reconciling ?? Promise.resolve(), feedChain])
      releaseLock()
    },
    crash() {
      shutdown()
      releaseLock()
    },
    kick,
    setOnline(value) {
      online = value
      if (value) networkDown = false
      publish()
      if (value) {
        openGate()
        kick()
      }
    },
    applyFeedBatch: applyBatch,
    reconcile,
    snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
