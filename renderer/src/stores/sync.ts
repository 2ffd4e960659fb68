/**
 * The sync engine's place in the UI: starts it with the app's database and transport,
 * mirrors its snapshot (phase, online, first-reconcile progress), reads the outbox counts,
 * tells main about the queue (tray badge, updater) and offers "sync now".
 */
import { defineStore } from 'pinia'
import { shallowRef, watch } from 'vue'
import { useLiveQuery } from '../composables/use-live-query'
import { getDatabase } from '../db/database'
import { getOutboxCounts, getSyncOverview, type OutboxCounts } from '../db/queries'
import type { SyncOverview } from '../db/sync-state'
import { INITIAL_STATUS } from '../db/sync-state'
import { createSyncEngine, type EngineSnapshot, type SyncEngine } from '../sync/engine'
import { getTransport } from '../transport'

const NO_COUNTS: OutboxCounts = { pending: 0, failed: 0, awaiting: 0, total: 0 }
const NO_OVERVIEW: SyncOverview = { status: INITIAL_STATUS, cursor: null, lastSuccess: null, lastFullReconcile: null, reconcile: null }

export const useSyncStore = defineStore('sync', () => {
  const snapshot = shallowRef<EngineSnapshot | null>(null)
  const counts = useLiveQuery(() => getOutboxCounts, NO_COUNTS)
  const overview = useLiveQuery(() => getSyncOverview, NO_OVERVIEW)
  let engine: SyncEngine | null = null

  /** Starts the engine once; safe to call again. */
  function start(): void {
    if (engine !== null) return
    const transport = getTransport()
    engine = createSyncEngine({ db: getDatabase(), transport })
    engine.subscribe((next) => (snapshot.value = next))
    snapshot.value = engine.snapshot()
    engine.start()
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

  function syncNow(): void {
    engine?.kick()
  }

  return { snapshot, counts: counts.value, overview: overview.value, start, syncNow }
})
