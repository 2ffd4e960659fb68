/**
 * The native menu: the platform's usual menus and shortcuts (edit, view, window, quit)
 * plus "Sync now". Built from roles so copy/paste, zoom and full screen behave natively.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron'

export const SYNC_NOW_ACCELERATOR = 'CmdOrCtrl+Shift+S'

export function installMenu(actions: { readonly syncNow: () => void }): void {
  const isMac = process.platform === 'darwin'
  const syncNow: MenuItemConstructorOptions = { label: 'Sync now', accelerator: SYNC_NOW_ACCELERATOR, click: actions.syncNow }
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [syncNow, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
