/**
 * One running app per user: two instances would poll the bridge twice and race on the
 * settings and cursor files. A second start focuses the existing window and exits.
 */
import { app } from 'electron'

/** False when another instance holds the lock (this one should quit at once). */
export function claimSingleInstance(focusExisting: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', focusExisting)
  return true
}
