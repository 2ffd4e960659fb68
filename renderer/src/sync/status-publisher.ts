/**
 * Tells listeners (the sync store) every change of the engine's snapshot at once, and keeps
 * the stored status row (read by other tabs and the status bar) at most STATUS_WRITE_DELAY_MS
 * behind: a busy drain flips between pushing and idle many times a second, and a write per
 * flip would be a transaction competing with the outbox's own.
 */
import type { OutpostDb } from '../db/database'
import { INITIAL_STATUS, writeSyncState, type ReconcileProgress, type SyncPhase } from '../db/sync-state'

/** The stored status trails the live one by this much at most. */
export const STATUS_WRITE_DELAY_MS = 250

export interface EngineSnapshot {
  readonly phase: SyncPhase
  readonly online: boolean
  /** This engine holds the drain lock (another tab may hold it instead). */
  readonly leader: boolean
  readonly inFlight: number
  readonly pausedUntil: number
  readonly lastError: string | null
  readonly lastSuccess: number | null
  /** Why the API refused the credentials; null when it did not. */
  readonly credentialsRejected: string | null
  readonly reconcile: ReconcileProgress | null
}

export interface StatusPublisher {
  /** Tells listeners now; stores the status soon if its phase changed. */
  publish(): void
  subscribe(listener: (snapshot: EngineSnapshot) => void): () => void
  /** Shutdown: no later write. */
  close(): void
}

export function createStatusPublisher(db: OutpostDb, snapshot: () => EngineSnapshot): StatusPublisher {
  const listeners = new Set<(s: EngineSnapshot) => void>()
  let closed = false
  let persistedPhase: SyncPhase | null = null
  let timer: ReturnType<typeof setTimeout> | null = null

  async function persist(snap: EngineSnapshot): Promise<void> {
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
      if (!closed) console.warn('sync: could not store status', error)
    }
  }

  return {
    publish() {
      const snap = snapshot()
      listeners.forEach((l) => l(snap))
      if (snap.phase === persistedPhase || closed || timer !== null) return
      timer = setTimeout(() => {
        timer = null
        if (closed) return
        const latest = snapshot()
        persistedPhase = latest.phase
        void persist(latest)
      }, STATUS_WRITE_DELAY_MS)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      closed = true
      if (timer !== null) clearTimeout(timer)
    },
  }
}
