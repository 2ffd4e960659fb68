/**
 * Runs reconciles: one at a time (a second request joins the running one), on first start
 * and then every RECONCILE_INTERVAL_MS, again after RECONCILE_RETRY_MS when one fails. A run
 * reads only the changes since the last one (reconcile-changes.ts), unless no mark exists or
 * the last full reconcile is FULL_RECONCILE_INTERVAL_MS old: then it is a full one, which
 * also removes users the server no longer has. A successful run also prunes the
 * applied-event log, which only needs to outlive redeliveries once a reconcile has covered
 * the rest.
 */
import { pruneAppliedEvents } from '../db/applied-events'
import type { OutpostDb } from '../db/database'
import { readSyncState, type ReconcileProgress } from '../db/sync-state'
import { runFullReconcile, type ReconcileResult } from './reconcile'
import { runChangesReconcile } from './reconcile-changes'
import type { SendGate } from './send-gate'
import type { SyncTransport } from './transport'

/** A reconcile repairs missed events this often. */
export const RECONCILE_INTERVAL_MS = 6 * 60 * 60_000
/** A full reconcile (every user read, the ones the server no longer has removed) this often. */
export const FULL_RECONCILE_INTERVAL_MS = 24 * 60 * 60_000
/** A failed reconcile is tried again after this. */
export const RECONCILE_RETRY_MS = 60_000

export interface ReconcileSchedulerOptions {
  readonly db: OutpostDb
  readonly transport: Pick<SyncTransport, 'listUsers'>
  readonly gate: Pick<SendGate, 'observe'>
  readonly now: () => number
  readonly isStopped: () => boolean
  /** Progress or running state changed (the engine publishes its status). */
  readonly onChange: () => void
  readonly pageSize?: number
  readonly intervalMs?: number
  readonly retryMs?: number
  readonly fullIntervalMs?: number
}

export interface ReconcileScheduler {
  readonly running: boolean
  readonly progress: ReconcileProgress | null
  /** Runs one now (full when due, or when `full`), or joins the one running. */
  run(full?: boolean): Promise<ReconcileResult>
  /** Starts the periodic runs: the first when the last full reconcile is an interval old. */
  startPeriodic(): Promise<void>
  /** Resolves when the running reconcile (if any) has settled. */
  settled(): Promise<unknown>
  close(): void
}

export function createReconcileScheduler(options: ReconcileSchedulerOptions): ReconcileScheduler {
  const { db, now, isStopped, onChange } = options
  const intervalMs = options.intervalMs ?? RECONCILE_INTERVAL_MS
  const retryMs = options.retryMs ?? RECONCILE_RETRY_MS
  const fullIntervalMs = options.fullIntervalMs ?? FULL_RECONCILE_INTERVAL_MS
  let running: Promise<ReconcileResult> | null = null
  let progress: ReconcileProgress | null = null
  let timer: ReturnType<typeof setTimeout> | null = null

  async function fullDue(): Promise<boolean> {
    const [mark, lastFull] = await Promise.all([readSyncState(db, 'reconcileMark'), readSyncState(db, 'lastFullReconcile')])
    return mark === null || lastFull === null || now() - lastFull >= fullIntervalMs
  }

  async function runOne(full: boolean): Promise<ReconcileResult> {
    const runOptions = {
      now,
      pageSize: options.pageSize,
      isStopped,
      onProgress(next: ReconcileProgress) {
        progress = next
        onChange()
      },
    }
    return full || (await fullDue())
      ? runFullReconcile(db, options.transport, runOptions)
      : runChangesReconcile(db, options.transport, runOptions)
  }

  async function run(full = false): Promise<ReconcileResult> {
    if (running !== null) return running
    const current = runOne(full)
    running = current
    onChange()
    try {
      const result = await current
      if (result.ok || result.error !== null) options.gate.observe(result.ok ? null : result.error)
      if (result.ok) await pruneAppliedEvents(db, now())
      return result
    } finally {
      running = null
      onChange()
    }
  }

  function scheduleIn(delay: number): void {
    if (timer !== null) clearTimeout(timer)
    if (isStopped()) return
    timer = setTimeout(() => void periodic(), delay)
  }

  async function periodic(): Promise<void> {
    if (isStopped()) return
    try {
      const result = await run()
      scheduleIn(result.ok ? intervalMs : retryMs)
    } catch (error) {
      if (!isStopped()) console.warn('sync: reconcile failed', error)
      scheduleIn(retryMs)
    }
  }

  return {
    get running() {
      return running !== null
    },
    get progress() {
      return progress
    },
    run,
    async startPeriodic() {
      const [mark, lastFull] = await Promise.all([readSyncState(db, 'reconcileMark'), readSyncState(db, 'lastFullReconcile')])
      const last = Math.max(mark?.at ?? 0, lastFull ?? 0)
      scheduleIn(last === 0 ? 0 : Math.max(0, last + intervalMs - now()))
    },
    settled: () => running ?? Promise.resolve(),
    close() {
      if (timer !== null) clearTimeout(timer)
    },
  }
}
