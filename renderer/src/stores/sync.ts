/**
 * The sync engine's place in the UI: starts it with the app's database and transport,
 * mirrors its snapshot (phase, online, first-reconcile progress), reads the outbox counts,
 * tells main about the queue (tray badge, updater) and offers "sync now". Before the engine
 * starts, puts back unsent entries from main's journal that a lost database no longer has
 * (the journal of this database, so of this API target, only).
 */
import { defineStore } from 'pinia'
import type { JournalEntry } from '../../../shared/ipc/journal'
import { ref, shallowRef, watch } from 'vue'
import { useLiveQuery } from '../composables/use-live-query'
import { currentAppDatabase, type AppDatabase } from '../db/app-database'
import { journalEntriesFrom, restoreFromJournal } from '../db/journal'
import { keepJournal } from '../db/journal-keeper'
import { keepProofFiles } from '../db/proof-files'
import { getOutboxCounts, getSyncOverview, type OutboxCounts } from '../db/queries'
import type { SyncOverview } from '../db/sync-state'
import { INITIAL_STATUS } from '../db/sync-state'
import { createSyncEngine, type EngineSnapshot, type SyncEngine } from '../sync/engine'
import { getTransport, type OutpostTransport } from '../transport'
import { useLiveNoticeStore } from './live-notice'

const NO_COUNTS: OutboxCounts = { pending: 0, failed: 0, awaiting: 0, total: 0 }
/** "Sync now" gives up waiting for the queue to drain after this long and reports what it did so far. */
export const SYNC_NOW_REPORT_AFTER_MS = 15_000

/**
 * What the last "Sync now" did, for the status bar: running, or how many it sent and how many
 * still wait or failed, and whether the server's list could be read (`problem`: it could not be
 * reached, or it refused). Cleared once the counts move on, so it never states a past count.
 */
/** Why a "Sync now" could not read the server's list: no answer, or a refusal. */
export type SyncNowProblem = 'unreachable' | 'refused'

export type SyncNowReport =
  | { readonly state: 'running' }
  | {
      readonly state: 'done'
      readonly sent: number
      readonly waiting: number
      readonly failed: number
      readonly problem: SyncNowProblem | null
    }

/** Entries still to go out (queued or sending); awaiting ones were sent and wait for the server's confirmation. */
const toSend = (c: OutboxCounts) => c.pending - c.awaiting

const cannotSend = (snap: EngineSnapshot | null) =>
  snap !== null && (snap.phase === 'offline' || snap.phase === 'credentials' || snap.phase === 'unreachable')

const NO_OVERVIEW: SyncOverview = { status: INITIAL_STATUS, cursor: null, lastSuccess: null, lastFullReconcile: null, reconcile: null }

export const useSyncStore = defineStore('sync', () => {
  const snapshot = shallowRef<EngineSnapshot | null>(null)
  const counts = useLiveQuery(() => getOutboxCounts, NO_COUNTS)
  const overview = useLiveQuery(() => getSyncOverview, NO_OVERVIEW)
  let engine: SyncEngine | null = null
  let stopJournal: (() => Promise<unknown>) | null = null
  let stopProofFiles: (() => void) | null = null
  const syncNowReport = shallowRef<SyncNowReport | null>(null)
  // A report states the counts of its moment: once they move on, it goes (the bar shows the new ones).
  watch(
    () => [counts.value.value.pending, counts.value.value.failed] as const,
    ([pending, failed]) => {
      const shown = syncNowReport.value
      if (shown?.state === 'done' && (shown.waiting !== pending || shown.failed !== failed)) syncNowReport.value = null
    },
  )
  /** When the queue last drained to empty in this tab (a completed sync). */
  const lastDrained = ref<number | null>(null)
  watch(
    () => counts.value.value.pending,
    (pending, before) => {
      if (pending === 0 && before > 0 && counts.value.value.failed === 0) lastDrained.value = Date.now()
    },
  )

  /** False once anything stopped sending (Settings switching the API target): the app's first start is then not due. */
  let firstStartDue = true

  /**
   * The app's first start, which waits for the first screen: skipped when sending was stopped
   * meanwhile, so a start held back that long cannot send to a target Settings just switched to.
   */
  function startFirst(): void {
    if (firstStartDue) start()
  }

  /** Starts the engine once; safe to call again. */
  function start(): void {
    firstStartDue = false
    if (engine !== null) return
    const transport = getTransport()
    const database = currentAppDatabase()
    // Settings unreadable: which API this database belongs to is unknown, so nothing is sent.
    if (!database.targetKnown) return
    const started = createSyncEngine({ db: database.db, transport })
    engine = started
    engine.subscribe((next) => (snapshot.value = next))
    snapshot.value = engine.snapshot()
    // The engine starts after the restore either way: a journal that cannot be read must not stop syncing.
    void restoreJournal(database, transport).finally(() => {
      if (engine !== started) return
      performance.mark('outpost:engine-started')
      started.start()
    })
    // A proof file leaves with its entry (applied, discarded, withdrawn).
    stopProofFiles = keepProofFiles(database.db)
    transport
      .getConnectivity()
      .then((state) => engine?.setOnline(state.online))
      .catch((e: unknown) => console.warn('sync: connectivity unknown', e))
    // The tray badge and the updater ("never while draining") follow the queue.
    watch([counts.value, snapshot], ([c, s]) => {
      const draining = s !== null && (s.phase === 'pushing' || s.inFlight > 0)
      transport.reportSyncStatus({ pending: c.pending, failed: c.failed, draining }).catch(() => undefined)
    })
  }

  /**
   * Restores from the journal, then keeps it current. When the journal could not be read it
   * is left as it is: overwriting it from a possibly empty database could lose its entries.
   */
  async function restoreJournal({ db, name }: AppDatabase, transport: OutpostTransport): Promise<void> {
    try {
      // Only the desktop app journals: the web host's one journal would be shared by every
      // browser profile, each with its own database.
      if ((await transport.getAppInfo()).transport !== 'electron') return
      const { entries } = await transport.readJournal({ database: name })
      const { restored, unreadable } = await restoreFromJournal(db, entries)
      if (restored > 0) useLiveNoticeStore().show({ kind: 'restored', count: restored })
      if (unreadable.length > 0) console.warn('sync: journal entries kept but not restored (unreadable)', unreadable)
      if (engine === null) return // stopped meanwhile (the target is being switched)
      const carried = unreadable.map((u) => u.entry)
      const write = (next: JournalEntry[]) => transport.writeJournal({ database: name, entries: next })
      const stopKeeping = keepJournal(db, write, carried)
      // A write still waiting for its debounce is made at once: the journal is current when sending stops.
      stopJournal = () => {
        stopKeeping()
        return journalEntriesFrom(db).then((next) => write([...next, ...carried]))
      }
    } catch (error) {
      console.warn('sync: journal not restored; left as it is', error)
    }
  }

  /** "Sync now", or settings saved: credentials the API refused are tried again, then the outbox. */
  function syncNow(): void {
    if (engine === null) return
    const before = counts.value.value
    const running: SyncNowReport = { state: 'running' }
    syncNowReport.value = running
    engine.retryNow()
    // The report waits for the server's list too: a sync that could not read it is not "finished".
    const problem = engine.reconcile().then(
      (result): SyncNowProblem | null =>
        result.ok || result.error === null ? null : result.error.kind === 'transient' ? 'unreachable' : 'refused',
      (): SyncNowProblem => 'unreachable',
    )
    let stop = (): void => undefined
    const report = () => {
      stop()
      void problem.then((found) => {
        // A later "Sync now" owns the report.
        if (syncNowReport.value !== running) return
        const after = counts.value.value
        const newlyFailed = Math.max(0, after.failed - before.failed)
        syncNowReport.value = {
          state: 'done',
          sent: Math.max(0, toSend(before) - toSend(after) - newlyFailed),
          waiting: after.pending,
          failed: after.failed,
          problem: found,
        }
      })
    }
    const timer = setTimeout(report, SYNC_NOW_REPORT_AFTER_MS)
    // Done when nothing is left to send, or nothing can be sent (offline, credentials): say what happened.
    const unwatch = watch(
      [() => toSend(counts.value.value), snapshot],
      ([left, snap]) => {
        if (left === 0 || cannotSend(snap)) report()
      },
      { immediate: false },
    )
    stop = () => {
      clearTimeout(timer)
      unwatch()
    }
    // Nothing queued at all: the reconcile's answer is the news; say done once it is in.
    if (toSend(before) === 0 || snapshot.value?.phase === 'offline') setTimeout(report, 0)
  }

  /**
   * Stops sending and waits for what is in flight: before Settings switch to another API
   * target, so nothing of this target's queue goes out once main talks to the other one.
   */
  async function stop(): Promise<void> {
    firstStartDue = false
    const running = engine
    const journal = stopJournal
    engine = null
    stopJournal = null
    stopProofFiles?.()
    stopProofFiles = null
    await running?.stop()
    await journal?.().catch((e: unknown) => console.warn('sync: last journal write failed', e))
  }

  /** Asks the API for a sign of life when it has not answered lately (the status bar's "Online"). */
  function checkContact(): Promise<void> {
    return engine?.checkContact() ?? Promise.resolve()
  }

  return {
    snapshot,
    counts: counts.value,
    overview: overview.value,
    lastDrained,
    syncNowReport,
    start,
    startFirst,
    stop,
    syncNow,
    checkContact,
  }
})
