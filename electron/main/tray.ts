/**
 * The tray icon: the queue at a glance (pending count in the tooltip, as the menu's first
 * line, and next to the icon in the macOS menu bar), "Open", "Sync now" and "Quit". Icons
 * come from build/tray, shipped as extra resources; macOS gets the template image it tints.
 */
import { app, Menu, nativeImage, Tray } from 'electron'
import { join } from 'node:path'
import type { SyncStatusReport } from '../../shared/ipc/contract'
import { desktopText, queueLine, trayTooltip, type DesktopLocale } from '../services/desktop/desktop-text'
import type { SyncStatusHub } from '../services/desktop/sync-status-hub'

export interface TrayOptions {
  readonly syncStatus: SyncStatusHub
  readonly locale: DesktopLocale
  readonly showWindow: () => void
  readonly syncNow: () => void
}

function trayIconPath(): string {
  const name = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'
  // Packaged: extraResources; dev: the repository's build folder.
  return app.isPackaged ? join(process.resourcesPath, 'tray', name) : join(app.getAppPath(), 'build', 'tray', name)
}

export function initTray({ syncStatus, locale, showWindow, syncNow }: TrayOptions): Tray {
  const text = desktopText(locale)
  const icon = nativeImage.createFromPath(trayIconPath())
  if (process.platform === 'darwin') icon.setTemplateImage(true)
  const tray = new Tray(icon)
  // Windows and Linux: a click on the icon opens the app (macOS shows the menu instead).
  if (process.platform !== 'darwin') tray.on('click', showWindow)

  const render = (status: SyncStatusReport | null) => {
    const line = queueLine(locale, status)
    tray.setContextMenu(
      Menu.buildFromTemplate([
        ...(line === null ? [] : [{ label: line, enabled: false }, { type: 'separator' as const }]),
        { label: text.open, click: showWindow },
        { label: text.syncNow, click: syncNow },
        { type: 'separator' },
        { label: text.quit, click: () => app.quit() },
      ]),
    )
    tray.setToolTip(trayTooltip(locale, status))
    if (process.platform === 'darwin')
      tray.setTitle(status !== null && status.pending + status.failed > 0 ? String(status.pending + status.failed) : '')
  }
  render(syncStatus.current())
  const unsubscribe = syncStatus.onChange((status) => render(status))
  app.once('will-quit', () => {
    unsubscribe()
    tray.destroy()
  })
  return tray
}
