/**
 * The OS notification when queued actions fail for good (the API refused them): the person
 * may have moved on to other work and must come back to fix or discard them. The text names
 * no user, since notifications show on locked screens. Clicking it opens the window.
 */
import { Notification } from 'electron'
import { desktopText, type DesktopLocale } from '../services/desktop/desktop-text'
import { newFailures } from '../services/desktop/new-failures'
import type { SyncStatusHub } from '../services/desktop/sync-status-hub'

export interface NotificationOptions {
  readonly syncStatus: SyncStatusHub
  readonly locale: DesktopLocale
  readonly showWindow: () => void
}

export function initFailureNotifications({ syncStatus, locale, showWindow }: NotificationOptions): () => void {
  const text = desktopText(locale)
  return syncStatus.onChange((next, previous) => {
    const count = newFailures(previous, next)
    if (count === 0 || !Notification.isSupported()) return
    const notification = new Notification({ title: text.failureTitle, body: text.failureBody(count) })
    notification.on('click', showWindow)
    notification.show()
  })
}
