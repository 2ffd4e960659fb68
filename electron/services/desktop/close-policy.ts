/**
 * What closing the window does. Field staff close it and expect queued work to go once the
 * laptop is back online, so with unsent work (or always, by the `closeToTray` setting) the
 * window hides and the app keeps syncing; macOS never quits on close (its dock convention).
 * Pure: main's background module applies the decision.
 */
import type { SyncStatusReport } from '../../../shared/ipc/contract'

export type CloseDecision = 'hide' | 'close'

export interface CloseFacts {
  /** The app is quitting (tray or menu Quit, Cmd+Q, an update, the OS logging out). */
  readonly quitting: boolean
  readonly closeToTray: boolean
  readonly status: SyncStatusReport | null
  readonly platform: NodeJS.Platform
}

/** Entries not yet sent: waiting, sending or held for the person's decision. */
export function unsentCount(status: SyncStatusReport | null): number {
  return status === null ? 0 : status.pending + status.failed
}

export function closeDecision(facts: CloseFacts): CloseDecision {
  if (facts.quitting) return 'close'
  if (facts.platform === 'darwin' || facts.closeToTray) return 'hide'
  // Only work the background can still send keeps the app alive; a failed entry waits for a person.
  return (facts.status?.pending ?? 0) > 0 ? 'hide' : 'close'
}
