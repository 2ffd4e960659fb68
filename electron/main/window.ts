/**
 * The one app window, locked down: context isolation, sandbox, no Node in the page, the
 * preload as the only bridge; size and position remembered across restarts (and only
 * reused while they still fit a connected display).
 */
import { BrowserWindow, screen } from 'electron'
import {
  DEFAULT_WINDOW_SIZE,
  loadWindowState,
  MIN_WINDOW_SIZE,
  saveWindowState,
  visibleBounds,
} from '../services/window-state/window-state'

export interface MainWindowOptions {
  readonly preloadPath: string
  readonly rendererUrl: string
  readonly statePath: string
  readonly showOnReady: boolean
  readonly onLoaded: () => void
  readonly log: (message: string) => void
}

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const saved = await loadWindowState(options.statePath)
  const bounds = visibleBounds(
    saved?.bounds,
    screen.getAllDisplays().map((display) => display.workArea),
  )
  const window = new BrowserWindow({
    ...(bounds ?? DEFAULT_WINDOW_SIZE),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Outpost',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // A middle click must not open a link in a new window (new windows are denied anyway).
      disableBlinkFeatures: 'Auxclick',
      // The outbox drains from this page while the window is hidden: no timer throttling.
      backgroundThrottling: false,
    },
  })
  if (saved?.maximized) window.maximize()
  window.once('ready-to-show', () => {
    if (options.showOnReady) window.show()
  })
  window.webContents.on('did-finish-load', options.onLoaded)
  window.on('close', () => {
    const state = { bounds: window.getNormalBounds(), maximized: window.isMaximized() }
    saveWindowState(options.statePath, state).catch((error: unknown) => options.log(`window state not saved: ${String(error)}`))
  })
  await window.loadURL(options.rendererUrl)
  return window
}
