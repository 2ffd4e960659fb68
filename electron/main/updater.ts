/**
 * Auto-update with electron-updater from the generic feed in settings: checks in the
 * background, downloads when online, installs on quit — never while the outbox is draining,
 * and only after the outbox journal is on disk. The rules are in
 * electron/services/updater/update-policy.ts; this module applies them to electron-updater.
 */
import { app, net } from 'electron'
import electronUpdater from 'electron-updater'
import { assertNever } from '../../shared/assert-never'
import type { SyncStatusHub } from '../services/desktop/sync-status-hub'
import { genericFeed, type GenericFeed } from '../services/updater/feed-url'
import { mayInstallOnQuit, nextUpdateAction, type UpdateFacts, type UpdatePhase } from '../services/updater/update-policy'

const MINUTE_MS = 60_000
/** How often the background loop looks at the policy (the policy decides whether to check). */
export const UPDATE_TICK_MS = 10 * MINUTE_MS
/** Let the app start and sync first; an update check is never urgent. */
export const UPDATE_FIRST_CHECK_DELAY_MS = MINUTE_MS
/** macOS hands the update to Squirrel at quit; if that stalls, quit anyway and install next time. */
export const MAC_HANDOVER_TIMEOUT_MS = 30 * 1000

/** The part of electron-updater's AppUpdater this module uses (tests pass a fake). */
export interface UpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  autoRunAppAfterInstall: boolean
  allowDowngrade: boolean
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void } | null
  setFeedURL(options: GenericFeed): void
  checkForUpdates(): Promise<unknown>
  downloadUpdate(): Promise<unknown>
  quitAndInstall(): void
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown
  on(event: 'update-not-available', listener: () => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
}

export interface UpdaterLog {
  info(...params: unknown[]): void
  warn(...params: unknown[]): void
}

export interface UpdaterOptions {
  /** settings.updateFeedUrl, read each time so a saved setting applies without a restart. */
  readonly feedUrl: () => Promise<string | null | undefined> | string | null | undefined
  readonly syncStatus: SyncStatusHub
  /** Writes the outbox journal to disk; awaited before anything installs. */
  readonly beforeInstall: () => Promise<void>
  readonly log: UpdaterLog
  readonly isOnline?: () => boolean
  /** Called with a listener to run when the network comes back. */
  readonly onOnline?: (listener: () => void) => () => void
  readonly updater?: UpdaterLike
  readonly platform?: NodeJS.Platform
  readonly now?: () => number
}

export interface UpdaterHandle {
  /** Runs the policy now (tests; the loop calls it on its own). */
  evaluate(): Promise<void>
  phase(): UpdatePhase
  stop(): void
}

export function initUpdater(options: UpdaterOptions): UpdaterHandle {
  const updater: UpdaterLike = options.updater ?? electronUpdater.autoUpdater
  const { log, syncStatus } = options
  const now = options.now ?? Date.now
  const platform = options.platform ?? process.platform
  const isOnline = options.isOnline ?? (() => net.isOnline())
  let phase: UpdatePhase = { kind: 'idle' }
  let lastCheckAt: number | null = null
  let feed: string | null = null
  let handedOver = false

  // Every step is ours to decide: nothing downloads or installs behind the policy's back.
  updater.autoDownload = false
  updater.autoInstallOnAppQuit = false
  updater.allowDowngrade = false
  updater.logger = { info: (m) => log.info('updater:', m), warn: (m) => log.warn('updater:', m), error: (m) => log.warn('updater:', m) }

  const facts = (): UpdateFacts => ({
    feedUrl: feed,
    packaged: app.isPackaged,
    online: isOnline(),
    draining: syncStatus.current()?.draining ?? false,
    phase,
    lastCheckAt,
    now: now(),
  })

  /**
   * electron-updater installs on quit when this flag is set at quit time. On Windows it
   * also registers its quit handler only if the flag is set when a download completes, so
   * it stays set while downloading. macOS's Squirrel installs whatever it was handed, so
   * there the flag stays off and the hand-over happens in before-quit instead.
   */
  function applyInstallFlag(): void {
    updater.autoInstallOnAppQuit = platform !== 'darwin' && (phase.kind === 'downloading' || mayInstallOnQuit(facts()))
  }

  function fail(error: unknown): void {
    phase = { kind: 'failed', at: now() }
    log.warn('update failed:', error)
    applyInstallFlag()
  }

  async function syncFeed(): Promise<void> {
    const next = genericFeed(await options.feedUrl())
    const url = next?.url ?? null
    if (url === feed) return
    feed = url
    lastCheckAt = null
    if (next !== null) updater.setFeedURL(next)
  }

  async function evaluate(): Promise<void> {
    try {
      await syncFeed()
    } catch (error) {
      log.warn('update feed not read:', error)
      return
    }
    const action = nextUpdateAction(facts())
    switch (action.kind) {
      case 'none':
        break
      case 'check':
        phase = { kind: 'checking' }
        lastCheckAt = now()
        updater.checkForUpdates().catch(fail)
        break
      case 'download':
        phase = { kind: 'downloading', version: phase.kind === 'available' ? phase.version : 'unknown' }
        applyInstallFlag()
        updater.downloadUpdate().catch(fail)
        break
      default:
        assertNever(action, 'update action')
    }
    applyInstallFlag()
  }

  updater.on('update-available', ({ version }) => {
    phase = { kind: 'available', version }
    void evaluate()
  })
  updater.on('update-not-available', () => {
    phase = { kind: 'idle' }
  })
  updater.on('update-downloaded', ({ version }) => {
    phase = { kind: 'downloaded', version }
    log.info(`update ${version} downloaded; it installs on quit when nothing is being sent`)
    // After electron-updater's own handler for this event has registered its quit hook.
    setImmediate(applyInstallFlag)
  })
  updater.on('error', fail)

  let journalFlushed = false
  const onBeforeQuit = (event: { preventDefault(): void }) => {
    if (platform === 'darwin') {
      if (handedOver || !mayInstallOnQuit(facts())) return
      event.preventDefault()
      handedOver = true
      const fallback = setTimeout(() => app.quit(), MAC_HANDOVER_TIMEOUT_MS)
      updater.on('error', () => app.quit())
      void options
        .beforeInstall()
        .catch((error: unknown) => log.warn('journal not flushed before update:', error))
        .then(() => {
          // Squirrel fetches the update, then electron-updater quits the app and the install runs.
          updater.autoRunAppAfterInstall = false
          updater.quitAndInstall()
        })
        .catch((error: unknown) => {
          clearTimeout(fallback)
          log.warn('update hand-over failed:', error)
          app.quit()
        })
      return
    }
    if (journalFlushed || !updater.autoInstallOnAppQuit) return
    event.preventDefault()
    void options
      .beforeInstall()
      .catch((error: unknown) => log.warn('journal not flushed before update:', error))
      .finally(() => {
        journalFlushed = true
        // Re-read: the outbox may have started draining while the journal was written.
        applyInstallFlag()
        app.quit()
      })
  }
  app.on('before-quit', onBeforeQuit)

  const unsubscribeStatus = syncStatus.onChange(() => applyInstallFlag())
  const run = () => void evaluate()
  const unsubscribeOnline = options.onOnline?.(run) ?? (() => undefined)
  const first = setTimeout(run, UPDATE_FIRST_CHECK_DELAY_MS)
  const tick = setInterval(run, UPDATE_TICK_MS)
  // Timers must not keep a quitting app alive.
  first.unref()
  tick.unref()

  return {
    evaluate,
    phase: () => phase,
    stop() {
      clearTimeout(first)
      clearInterval(tick)
      unsubscribeStatus()
      unsubscribeOnline()
      app.off('before-quit', onBeforeQuit)
    },
  }
}
