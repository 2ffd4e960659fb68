/**
 * The sync engine's place in the UI: starts it with the app's database and transport,
 * mirrors its snapshot (phase, online, first-reconcile progress), reads the outbox counts,
 * tells main about the queue (tray badge, updater) and offers "sync now". Before the engine
 * starts, puts back unsent entries from main's journal that a lost database no longer has
 * (the journal of this database, so of this API target, only).
 */
import { defineStore } from 'pinia'
import type { JournalEntry } from '../../../shared/ipc/journal'
import { shallowRef, watch } from 'vue'
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
const NO_OVERVIEW: SyncOverview = { status: INITIAL_STATUS, cursor: null, lastSuccess: null, lastFullReconcile: null, reconcile: null }

export const useSyncStore = defineStore('sync', () => {
  const snapshot = shallowRef<EngineSnapshot | null>(null)
  const counts = useLiveQuery(() => getOutboxCounts, NO_COUNTS)
  const overview = useLiveQuery(() => getSyncOverview, NO_OVERVIEW)
  let engine: SyncEngine | null = null
  let stopJournal: (() => Promise<unknown>) | null = null
  let stopProofFiles: (() => void) | null = null

  /** Starts the engine once; safe to call again. */
  function start(): void {
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
      if (engine === started) started.start()
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
    engine?.retryNow()
  }

  /**
   * Stops sending and waits for what is in flight: before Settings switch to another API
   * target, so nothing of this target's queue goes out once main talks to the other one.
   */
  async function stop(): Promise<void> {
    const running = engine
    const journal = stopJournal
    engine = null
    stopJournal = null
    stopProofFiles?.()
    stopProofFiles = null
    await running?.stop()
    await journal?.().catch((e: unknown) => console.warn('sync: last journal write failed', e))
  }

  return { snapshot, counts: counts.value, overview: overview.value, start, stop, syncNow }
})
