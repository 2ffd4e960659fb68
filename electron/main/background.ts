/**
 * Sync that goes on with the window closed: closing hides the window (tray / dock) per
 * electron/services/desktop/close-policy.ts, the renderer keeps draining the outbox, macOS
 * reopens it from the dock and badges the dock with the unsent count, and a quit with unsent
 * work says how many entries wait for the next start.
 */
import { app, Notification, type BrowserWindow } from 'electron'
import { desktopText, type DesktopLocale } from '../services/desktop/desktop-text'
import { closeDecision, unsentCount } from '../services/desktop/close-policy'
import type { SyncStatusHub } from '../services/desktop/sync-status-hub'

export interface BackgroundOptions {
  readonly window: BrowserWindow
  readonly syncStatus: SyncStatusHub
  /** settings.closeToTray, read at each close so a saved setting applies at once. */
  readonly closeToTray: () => Promise<boolean>
  readonly locale: DesktopLocale
  readonly showWindow: () => void
  readonly log: (message: string) => void
  readonly platform?: NodeJS.Platform
}

export function keepSyncingInBackground(options: BackgroundOptions): () => void {
  const { window, syncStatus, log } = options
  const platform = options.platform ?? process.platform
  const text = desktopText(options.locale)
  let quitting = false
  let allowClose = false
  let announced = false

  const notify = (title: string, body: string) => {
    if (!Notification.isSupported()) return
    const notification = new Notification({ title, body })
    notification.on('click', options.showWindow)
    notification.show()
  }

  const hide = () => {
    window.hide()
    log(`window hidden; ${unsentCount(syncStatus.current())} unsent entries keep syncing in the background`)
    // Once per run, and not on macOS, where a closed window staying in the dock is the norm.
    if (announced || platform === 'darwin') return
    announced = true
    notify(text.backgroundTitle, text.backgroundBody)
  }

  const decide = async () => {
    const closeToTray = await options.closeToTray().catch(() => true)
    const decision = closeDecision({ quitting, closeToTray, status: syncStatus.current(), platform })
    if (decision === 'hide') return hide()
    allowClose = true
    window.close()
  }

  const onClose = (event: { preventDefault(): void }) => {
    if (quitting || allowClose) return
    // The setting is read asynchronously: hold the close, then hide or close for real.
    event.preventDefault()
    void decide().catch((error: unknown) => log(`close: ${String(error)}`))
  }
  // Windows logging off closes windows without a quit request; that must not be refused.
  const onSessionEnd = () => {
    quitting = true
  }
  const onBeforeQuit = () => {
    if (quitting) return
    quitting = true
    const unsent = unsentCount(syncStatus.current())
    if (unsent === 0) return
    log(`quitting with ${unsent} unsent entries; they are sent at the next start`)
    notify(text.quitWaitingTitle, text.quitWaitingBody(unsent))
  }
  const onActivate = () => options.showWindow()
  const badge = () => app.dock?.setBadge(unsentCount(syncStatus.current()) > 0 ? String(unsentCount(syncStatus.current())) : '')

  window.on('close', onClose)
  window.on('session-end', onSessionEnd)
  app.on('before-quit', onBeforeQuit)
  let unsubscribe: () => void = () => undefined
  if (platform === 'darwin') {
    app.on('activate', onActivate)
    badge()
    const off = syncStatus.onChange(badge)
    unsubscribe = () => void off()
  }
  return () => {
    window.off('close', onClose)
    window.off('session-end', onSessionEnd)
    app.off('before-quit', onBeforeQuit)
    app.off('activate', onActivate)
    unsubscribe()
  }
}
