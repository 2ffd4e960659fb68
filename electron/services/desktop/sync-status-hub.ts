/**
 * The renderer's latest queue report (reportSyncStatus), held in main for the parts that
 * react to it: the tray's pending count, the failure notification, and the updater's
 * "never while draining" rule. Listeners get the new and the previous report.
 */
import type { SyncStatusReport } from '../../../shared/ipc/contract'

export type SyncStatusListener = (next: SyncStatusReport, previous: SyncStatusReport | null) => void

export interface SyncStatusHub {
  report(status: SyncStatusReport): void
  /** Null until the renderer's first report. */
  current(): SyncStatusReport | null
  onChange(listener: SyncStatusListener): () => void
}

export function createSyncStatusHub(): SyncStatusHub {
  let current: SyncStatusReport | null = null
  const listeners = new Set<SyncStatusListener>()
  return {
    report(status) {
      const previous = current
      current = status
      for (const listener of listeners) listener(status, previous)
    },
    current: () => current,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
