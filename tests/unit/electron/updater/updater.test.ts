// The updater as wired to electron-updater, with `electron` mocked: the install-on-quit flag
// follows the outbox (never while draining), the journal is flushed before anything installs,
// checks and downloads follow the feed and the network.
import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SyncStatusReport } from '../../../../shared/ipc/contract'
import { createSyncStatusHub, type SyncStatusHub } from '../../../../electron/services/desktop/sync-status-hub'
// vi.mock calls below are hoisted above this import.
import { initUpdater, type UpdaterHandle, type UpdaterLike } from '../../../../electron/main/updater'

const electron = vi.hoisted(() => {
  type Listener = (event: { preventDefault(): void }) => void
  const listeners = new Map<string, Set<Listener>>()
  return {
    listeners,
    app: {
      isPackaged: true,
      on: (name: string, listener: Listener) => listeners.set(name, (listeners.get(name) ?? new Set()).add(listener)),
      off: (name: string, listener: Listener) => listeners.get(name)?.delete(listener),
      quit: vi.fn(),
    },
    net: { isOnline: () => true },
  }
})
vi.mock('electron', () => ({ app: electron.app, net: electron.net }))
// The real module reaches for the Electron binary when loaded; the tests pass their own updater.
vi.mock('electron-updater', () => ({ default: { autoUpdater: null } }))

class FakeUpdater extends EventEmitter {
  autoDownload = true
  autoInstallOnAppQuit = true
  autoRunAppAfterInstall = true
  allowDowngrade = true
  logger: UpdaterLike['logger'] = null
  setFeedURL = vi.fn()
  checkForUpdates = vi.fn(async () => null)
  downloadUpdate = vi.fn(async () => [])
  quitAndInstall = vi.fn()
}

const idle: SyncStatusReport = { pending: 0, failed: 0, draining: false }
const draining: SyncStatusReport = { pending: 2, failed: 0, draining: true }
const FEED = 'https://updates.example.com/outpost'
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve))

function beforeQuit(): { prevented: boolean } {
  const result = { prevented: false }
  for (const listener of electron.listeners.get('before-quit') ?? []) listener({ preventDefault: () => (result.prevented = true) })
  return result
}

describe('updater', () => {
  let updater: FakeUpdater
  let status: SyncStatusHub
  let handle: UpdaterHandle | null
  let online: boolean
  let feed: string | null
  let flushes: number

  beforeEach(() => {
    updater = new FakeUpdater()
    status = createSyncStatusHub()
    handle = null
    online = true
    feed = FEED
    flushes = 0
    electron.app.quit.mockClear()
  })
  afterEach(() => handle?.stop())

  function start(platform: NodeJS.Platform = 'win32'): UpdaterHandle {
    handle = initUpdater({
      // As in the app: read from the settings each time, asynchronously.
      feedUrl: async () => feed,
      syncStatus: status,
      beforeInstall: async () => {
        flushes += 1
      },
      log: { info: () => undefined, warn: () => undefined },
      isOnline: () => online,
      updater,
      platform,
    })
    return handle
  }

  async function downloadWhile(report: SyncStatusReport, platform: NodeJS.Platform = 'win32'): Promise<void> {
    const h = start(platform)
    status.report(report)
    await h.evaluate()
    updater.emit('update-available', { version: '1.2.0' })
    await vi.waitFor(() => expect(updater.downloadUpdate).toHaveBeenCalledTimes(1))
    updater.emit('update-downloaded', { version: '1.2.0' })
    await nextTick()
  }

  it('takes every decision itself: no auto download, no install, no downgrade', () => {
    start()
    expect(updater).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: false, allowDowngrade: false })
  })

  it('checks the generic feed from settings, downloads when online, installs on quit when idle', async () => {
    await downloadWhile(idle)
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: `${FEED}/` })
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1)
    expect(handle?.phase()).toEqual({ kind: 'downloaded', version: '1.2.0' })
    expect(updater.autoInstallOnAppQuit).toBe(true)
  })

  it('never installs on quit while the outbox is draining, and follows each report', async () => {
    await downloadWhile(draining)
    expect(updater.autoInstallOnAppQuit).toBe(false)
    expect(beforeQuit().prevented).toBe(false)
    expect(flushes).toBe(0)

    status.report(idle)
    expect(updater.autoInstallOnAppQuit).toBe(true)
    status.report(draining)
    expect(updater.autoInstallOnAppQuit).toBe(false)
  })

  it('flushes the journal before the install, then quits again', async () => {
    await downloadWhile(idle)
    expect(beforeQuit().prevented).toBe(true)
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1))
    expect(flushes).toBe(1)
    // The second quit goes through to electron-updater's own install-on-quit.
    expect(beforeQuit().prevented).toBe(false)
    expect(updater.autoInstallOnAppQuit).toBe(true)
  })

  it('keeps the install flag set while downloading, so electron-updater registers its quit hook', async () => {
    const h = start()
    status.report(draining)
    await h.evaluate()
    updater.emit('update-available', { version: '1.2.0' })
    await vi.waitFor(() => expect(handle?.phase().kind).toBe('downloading'))
    expect(updater.autoInstallOnAppQuit).toBe(true)
  })

  it('does not download while offline, and does once the network is back', async () => {
    online = false
    const h = start()
    await h.evaluate()
    expect(updater.checkForUpdates).not.toHaveBeenCalled()
    online = true
    await h.evaluate()
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1)
    online = false
    updater.emit('update-available', { version: '1.2.0' })
    await h.evaluate()
    expect(updater.downloadUpdate).not.toHaveBeenCalled()
    online = true
    await h.evaluate()
    expect(updater.downloadUpdate).toHaveBeenCalledTimes(1)
  })

  it('does nothing without a feed', async () => {
    feed = null
    await start().evaluate()
    expect(updater.setFeedURL).not.toHaveBeenCalled()
    expect(updater.checkForUpdates).not.toHaveBeenCalled()
  })

  it('picks up a feed saved in settings after start', async () => {
    feed = null
    const h = start()
    await h.evaluate()
    feed = 'https://updates.example.com/other/'
    await h.evaluate()
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://updates.example.com/other/' })
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1)
  })

  it('records a failed check instead of throwing', async () => {
    updater.checkForUpdates.mockRejectedValueOnce(new Error('feed down'))
    await start().evaluate()
    await vi.waitFor(() => expect(handle?.phase().kind).toBe('failed'))
  })

  describe('on macOS', () => {
    it('never lets Squirrel install by itself, and hands over at quit only when idle', async () => {
      await downloadWhile(draining, 'darwin')
      expect(updater.autoInstallOnAppQuit).toBe(false)
      expect(beforeQuit().prevented).toBe(false)
      expect(updater.quitAndInstall).not.toHaveBeenCalled()

      status.report(idle)
      expect(updater.autoInstallOnAppQuit).toBe(false)
      expect(beforeQuit().prevented).toBe(true)
      await vi.waitFor(() => expect(updater.quitAndInstall).toHaveBeenCalledTimes(1))
      expect(flushes).toBe(1)
      expect(updater.autoRunAppAfterInstall).toBe(false)
    })
  })
})
