/**
 * Denies every permission request and check (camera, microphone, geolocation,
 * notifications from the page, ...): the renderer needs none, so a compromised page
 * cannot ask the user for them either. OS notifications come from main, not the page.
 */
import type { Session } from 'electron'

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
