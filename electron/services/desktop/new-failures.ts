/**
 * How many queued actions failed for good since the last sync report: the number the OS
 * notification announces. Counts only rises, so a person fixing or discarding one failed
 * entry while another fails still hears about the new one.
 */
import type { SyncStatusReport } from '../../../shared/ipc/contract'

export function newFailures(previous: SyncStatusReport | null, next: SyncStatusReport): number {
  // The first report after start describes old failures the person has already seen.
  if (previous === null) return 0
  return Math.max(0, next.failed - previous.failed)
}
