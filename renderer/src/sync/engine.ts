/**
 * The sync engine, composed of parts with one job each: the send gate (online, Retry-After),
 * the pump (lane heads, network slots, marking ahead), the entry runner (run-entry.ts), the
 * feed applier, the reconcile scheduler and the status publisher. This module holds the drain
 * lock, wires the parts and the transport's push events together, and tells their state.
 */
import type { FeedBatch } from '../../../shared/ipc/contract'
import type { OutpostDb } from '../db/database'
import { onOutboxChanged } from '../db/outbox-signal'
import type { SyncPhase } from '../db/sync-state'
import type { BatchReport } from './apply-feed-batch'
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff'
import { acquireDrainLock, type ReleaseLock } from './drain-lock'
import { createFeedApplier } from './feed-applier'
import { IDEMPOTENCY_KEY_LIFETIME_MS } from './find-created-user'
import { commitEach, createGroupCommitter } from './group-commit'
import { createPump } from './pump'
import type { ReconcileResult } from './reconcile'
import { createReconcileScheduler } from './reconcile-scheduler'
import { runEntry, type RunContext } from './run-entry'
import { guardTransport } from './guarded-transport'
import { createSendGate } from './send-gate'
import { createStatusPublisher, type EngineSnapshot } from './status-publisher'
import type { SyncTransport } from './transport'

export { FULL_RECONCILE_INTERVAL_MS, RECONCILE_INTERVAL_MS, RECONCILE_RETRY_MS } from './reconcile-scheduler'
export { STATUS_WRITE_DELAY_MS, type EngineSnapshot } from './status-publisher'

/** Users whose entries are sent at the same time. */
export const DEFAULT_CONCURRENCY = 16
/** An accepted data change without its event is read back after this. */
export const DATA_CHANGE_AWAIT_MS = 2 * 60_000
/** Safety net: look at the outbox this often even without a signal (another tab's enqueue). */
export const POLL_INTERVAL_MS = 30_000
/** A data change accepted this long ago that the server still does not show is parked as not confirmed. */
export const CONFIRM_DEADLINE_MS = 30 * 60_000
/** Failed answers in a row (not counting offline or refused credentials) after which an entry is parked. */
export const MAX_FAILURES = 10

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
  /** See CONFIRM_DEADLINE_MS. */
  readonly confirmDeadlineMs?: number
  /** See MAX_FAILURES. */
  readonly maxFailures?: number
  /** Requests per second at most, whatever fails (default DEFAULT_RATE_PER_SECOND). */
  readonly ratePerSecond?: number
  readonly keyLifetimeMs?: number
  readonly reconcileIntervalMs?: number
  /** How often a reconcile reads every user (default FULL_RECONCILE_INTERVAL_MS, daily); between, only changes. */
  readonly fullReconcileIntervalMs?: number
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

export interface SyncEngine {
  /** Starts waiting for the drain lock; resolves at once (the lock may come later). */
  start(): void
  /** Stops and waits for work in flight to settle (their answers are not committed). */
  stop(): Promise<void>
  /** Stops at once, as a crash or a closed tab would: in-flight answers are dropped. */
  crash(): void
  /** Look at the outbox now (after an enqueue). */
  kick(): void
  /** The person asked to sync now or changed settings: refused credentials are tried again, then the outbox. */
  retryNow(): void
  setOnline(online: boolean): void
  /** Asks the API for one user: "Online" needs a recent answer (CONTACT_FRESH_MS), and an idle engine sends nothing. */
  checkContact(): Promise<void>
  applyFeedBatch(batch: FeedBatch): Promise<BatchReport>
  /** Runs a reconcile now: full when `full` or due, else only the changes since the last. */
  reconcile(full?: boolean): Promise<ReconcileResult>
  snapshot(): EngineSnapshot
  subscribe(listener: (snapshot: EngineSnapshot) => void): () => void
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, transport } = options
  const now = options.now ?? Date.now
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  const abort = new AbortController()
  const unsubscribers: Array<() => void> = []
  let stopped = false
  let started = false
  let release: ReleaseLock | null = null
  const isStopped = () => stopped

  const gate = createSendGate(now, options.ratePerSecond)
  const status = createStatusPublisher(db, snapshot)
  const publish = () => status.publish()
  const pump = createPump({
    db,
    gate,
    now,
    concurrency,
    markAhead: options.markAhead ?? concurrency,
    awaitTimeoutMs: options.awaitTimeoutMs ?? DATA_CHANGE_AWAIT_MS,
    pollIntervalMs: options.pollIntervalMs ?? POLL_INTERVAL_MS,
    run: (entry) => runEntry(runContext, entry),
    active: () => !stopped && release !== null,
    onChange: publish,
  })
  const runContext: RunContext = {
    db,
    transport: guardTransport(transport),
    commit: options.groupCommit === false ? commitEach : createGroupCommitter(db),
    policy: {
      now,
      random: options.random ?? Math.random,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      keyLifetimeMs: options.keyLifetimeMs ?? IDEMPOTENCY_KEY_LIFETIME_MS,
      confirmDeadlineMs: options.confirmDeadlineMs ?? CONFIRM_DEADLINE_MS,
      maxFailures: options.maxFailures ?? MAX_FAILURES,
    },
    gate: {
      observe(error) {
        const refused = gate.credentialsRejected
        gate.observe(error)
        if (gate.credentialsRejected !== refused) publish()
      },
      untilSendable: () => gate.untilSendable(),
      pauseUntil(until) {
        gate.pauseUntil(until)
        publish()
      },
    },
    slots: {
      // Entries marked ahead wait here too: nothing is sent while paused or offline.
      async acquire(entry) {
        await pump.acquireSlot(entry)
        await gate.untilSendable()
      },
      answered: (entry) => pump.answered(entry),
    },
    isStopped,
  }
  const reconciler = createReconcileScheduler({
    db,
    transport,
    gate,
    now,
    isStopped,
    onChange: publish,
    pageSize: options.reconcilePageSize,
    intervalMs: options.reconcileIntervalMs,
    fullIntervalMs: options.fullReconcileIntervalMs,
    retryMs: options.reconcileRetryMs,
  })
  const feed = createFeedApplier({ db, transport, now, isStopped, onChange: publish, onApplied: () => pump.kick() })

  function phase(): SyncPhase {
    if (!gate.online || gate.networkDown || gate.serverDown) return 'offline'
    if (gate.serviceUnreachable) return 'unreachable'
    if (gate.credentialsRejected !== null) return 'credentials'
    if (reconciler.running) return 'reconciling'
    if (feed.pulling > 0) return 'pulling'
    if (pump.inFlight > 0) return 'pushing'
    return 'idle'
  }

  function snapshot(): EngineSnapshot {
    return {
      phase: phase(),
      online: gate.online,
      leader: release !== null,
      inFlight: pump.inFlight,
      pausedUntil: gate.pausedUntil,
      lastError: gate.lastError,
      lastSuccess: gate.lastSuccess,
      credentialsRejected: gate.credentialsRejected,
      reconcile: reconciler.progress,
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
    pump.kick()
    if (options.autoReconcile !== false) await reconciler.startPeriodic()
  }

  function releaseLock(): void {
    release?.()
    release = null
  }

  function setOnline(value: boolean): void {
    gate.setOnline(value)
    publish()
    if (value) {
      gate.open()
      pump.kick()
    }
  }

  function shutdown(): void {
    stopped = true
    abort.abort()
    pump.close()
    gate.close()
    reconciler.close()
    status.close()
    unsubscribers.splice(0).forEach((u) => u())
  }

  return {
    start() {
      if (started) return
      started = true
      unsubscribers.push(onOutboxChanged(() => pump.kick()))
      if (transport.on !== undefined) {
        unsubscribers.push(
          transport.on('feedBatch', (batch) => void feed.apply(batch).catch((e: unknown) => console.warn('sync: feed batch failed', e))),
          transport.on('connectivityChanged', (state) => setOnline(state.online)),
          transport.on('reconcileRequired', () => void reconciler.run().catch((e: unknown) => console.warn('sync: reconcile failed', e))),
          transport.on('syncRequested', () => this.retryNow()),
        )
      }
      void becomeLeader()
    },
    async stop() {
      shutdown()
      await Promise.allSettled([pump.settled(), reconciler.settled(), feed.settled()])
      releaseLock()
    },
    crash() {
      shutdown()
      releaseLock()
    },
    kick: () => pump.kick(),
    retryNow() {
      gate.resume()
      publish()
      pump.kick()
    },
    setOnline,
    async checkContact() {
      if (stopped || !gate.online) return
      const result = await runContext.transport.listUsers({ limit: 1 })
      gate.observe(result.ok ? null : result.error)
      publish()
    },
    applyFeedBatch: (batch) => feed.apply(batch),
    reconcile: (full?: boolean) => reconciler.run(full),
    snapshot,
    subscribe: (listener) => status.subscribe(listener),
  }
}
