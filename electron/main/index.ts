/**
 * Main process entry: composes the small modules beside it in one short `initApp()`.
 * Each line is one concern (security rules, single instance, IPC, window, menu, system
 * events, shutdown); logic lives in those modules and in electron/services.
 */
import { app, session, type BrowserWindow } from 'electron'
import { desktopLocale } from '../services/desktop/desktop-text'
import { createSyncStatusHub } from '../services/desktop/sync-status-hub'
import { registerHandlers } from './ipc/register-handler'
import { createSenderCheck } from './ipc/trusted-sender'
import { initJournal } from './journal'
import { initLogging } from './logging'
import { installMenu } from './menu'
import { initFailureNotifications } from './notifications'
import { keepSyncingInBackground } from './background'
import { applyUserDataOverride, appPaths } from './paths'
import { createWindowPush } from './push'
import { createElectronRuntime } from './runtime'
import { applyContentSecurityPolicy } from './security/content-security-policy'
import { denyNavigation } from './security/deny-navigation'
import { denyPermissions } from './security/deny-permissions'
import { stopBeforeQuit } from './shutdown'
import { claimSingleInstance } from './single-instance'
import { watchSystemEvents } from './system-events'
import { initTray } from './tray'
import { initUpdater } from './updater'
import { createMainWindow } from './window'

let mainWindow: BrowserWindow | null = null
const getWindow = () => mainWindow

function showWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

async function initApp(): Promise<void> {
  applyUserDataOverride()
  if (!claimSingleInstance(showWindow)) return app.quit()
  const log = initLogging({ packaged: app.isPackaged })
  const info = (message: string) => log.info(message)
  await app.whenReady()
  const paths = appPaths()
  applyContentSecurityPolicy(session.defaultSession)
  denyPermissions(session.defaultSession)
  app.on('web-contents-created', (_event, contents) => denyNavigation(contents, paths.rendererUrl))
  const syncStatus = createSyncStatusHub()
  const journal = initJournal(info)
  const runtime = await createElectronRuntime({
    push: createWindowPush(getWindow),
    journal,
    onSyncStatus: syncStatus.report,
    log: info,
  })
  registerHandlers(runtime.handlers, createSenderCheck(getWindow, paths.rendererUrl))
  installMenu({ syncNow: () => runtime.requestSync('menu') })
  watchSystemEvents(runtime)
  stopBeforeQuit(() => runtime.stop(), info)
  await runtime.start()
  const settings = runtime.handlers.getSettings
  const startMinimized = (await settings(undefined)).settings?.startMinimized ?? false
  mainWindow = await createMainWindow({
    ...paths,
    statePath: paths.windowStatePath,
    showOnReady: !startMinimized,
    onLoaded: () => runtime.rendererConnected(),
    log: info,
  })
  mainWindow.on('closed', () => (mainWindow = null))
  const locale = desktopLocale(app.getLocale())
  keepSyncingInBackground({
    window: mainWindow,
    syncStatus,
    closeToTray: async () => (await settings(undefined)).settings?.closeToTray ?? true,
    locale,
    showWindow,
    log: info,
  })
  initTray({ syncStatus, locale, showWindow, syncNow: () => runtime.requestSync('tray') })
  initFailureNotifications({ syncStatus, locale, showWindow })
  initUpdater({
    feedUrl: async () => (await settings(undefined)).settings?.updateFeedUrl,
    syncStatus,
    beforeInstall: () => journal.flush(),
    log,
    onOnline: (listener) => runtime.connectivity.onBackOnline(listener),
  })
  app.on('window-all-closed', () => app.quit())
}

initApp().catch((error: unknown) => {
  console.error('Outpost failed to start', error)
  app.exit(1)
})
