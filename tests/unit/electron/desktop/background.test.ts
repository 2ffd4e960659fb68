// Closing the window with `electron` mocked: it hides (and the app keeps syncing) when work
// is unsent or closeToTray is on, closes for real otherwise, never refuses a quit, badges the
// macOS dock, and a quit with unsent work says how many entries wait for the next start.
import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { closeDecision } from '../../../../electron/services/desktop/close-policy'
import { createSyncStatusHub } from '../../../../electron/services/desktop/sync-status-hub'
import { SettingsSchema } from '../../../../shared/settings'

const fake = vi.hoisted(() => {
  /** The part of app's EventEmitter the module uses (hoisted above the imports). */
  class Emitter {
    private readonly listeners = new Map<string, Set<(...args: unknown[]) => void>>()
    on(event: string, listener: (...args: unknown[]) => void) {
      this.listeners.set(event, (this.listeners.get(event) ?? new Set()).add(listener))
      return this
    }
    off(event: string, listener: (...args: unknown[]) => void) {
      this.listeners.get(event)?.delete(listener)
      return this
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args)
    }
    removeAllListeners() {
      this.listeners.clear()
    }
  }
  const notifications: { title: string; body: string; shown: boolean }[] = []
  const badges: string[] = []
  class Notification {
    static isSupported = () => true
    state: { title: string; body: string; shown: boolean }
    constructor(options: { title: string; body: string }) {
      this.state = { ...options, shown: false }
      notifications.push(this.state)
    }
    on() {}
    show() {
      this.state.shown = true
    }
  }
  const app = Object.assign(new Emitter(), { dock: { setBadge: (text: string) => badges.push(text) } })
  return { notifications, badges, app, electron: { app, Notification } }
})
vi.mock('electron', () => fake.electron)
import { keepSyncingInBackground } from '../../../../electron/main/background'

/** A window that closes unless a 'close' listener prevents it, like BrowserWindow. */
class FakeWindow extends EventEmitter {
  visible = true
  closed = false
  hide() {
    this.visible = false
  }
  close() {
    let prevented = false
    this.emit('close', { preventDefault: () => (prevented = true) })
    if (!prevented) this.closed = true
  }
}

/** Lets the held close (it awaits the setting) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function setup(platform: NodeJS.Platform, closeToTray: boolean) {
  const window = new FakeWindow()
  const syncStatus = createSyncStatusHub()
  const log = vi.fn()
  const dispose = keepSyncingInBackground({
    window: window as never,
    syncStatus,
    closeToTray: async () => closeToTray,
    locale: 'en',
    showWindow: () => window.emit('shown'),
    log,
    platform,
  })
  return { window, syncStatus, log, dispose }
}

describe('closing the window', () => {
  beforeEach(() => {
    fake.notifications.length = 0
    fake.badges.length = 0
    fake.app.removeAllListeners()
  })

  it('hides instead of quitting while entries wait, says once that sync goes on, and really closes once all is sent', async () => {
    const { window, syncStatus, dispose } = setup('win32', false)
    syncStatus.report({ pending: 2, failed: 0, draining: true })
    window.close()
    await settle()
    expect(window).toMatchObject({ visible: false, closed: false })
    expect(fake.notifications).toEqual([expect.objectContaining({ title: 'Outpost keeps syncing', shown: true })])
    window.close()
    await settle()
    expect(fake.notifications).toHaveLength(1)

    syncStatus.report({ pending: 0, failed: 0, draining: false })
    window.close()
    await settle()
    expect(window.closed).toBe(true)
    dispose()
  })

  it('always hides with closeToTray on, even with nothing to send', async () => {
    const { window, syncStatus, dispose } = setup('linux', true)
    syncStatus.report({ pending: 0, failed: 0, draining: false })
    window.close()
    await settle()
    expect(window).toMatchObject({ visible: false, closed: false })
    dispose()
  })

  it('never holds a quit: after before-quit the window closes, and the quit says how many entries wait', async () => {
    const { window, syncStatus, log, dispose } = setup('win32', true)
    syncStatus.report({ pending: 2, failed: 1, draining: false })
    fake.app.emit('before-quit', { preventDefault: () => undefined })
    window.close()
    expect(window.closed).toBe(true)
    expect(fake.notifications).toEqual([
      expect.objectContaining({
        title: 'Not everything is sent yet',
        body: '3 actions wait on this computer and are sent at the next start of Outpost.',
        shown: true,
      }),
    ])
    expect(log).toHaveBeenCalledWith('quitting with 3 unsent entries; they are sent at the next start')
    dispose()
  })

  it('lets Windows end the session without a quit request', () => {
    const { window, syncStatus, dispose } = setup('win32', true)
    syncStatus.report({ pending: 4, failed: 0, draining: false })
    window.emit('session-end')
    window.close()
    expect(window.closed).toBe(true)
    dispose()
  })

  it('quits quietly when nothing is unsent', () => {
    const { syncStatus, dispose } = setup('win32', false)
    syncStatus.report({ pending: 0, failed: 0, draining: false })
    fake.app.emit('before-quit', { preventDefault: () => undefined })
    expect(fake.notifications).toEqual([])
    dispose()
  })

  it('on macOS: hides without a notice, reopens from the dock, and badges the dock with the unsent count', async () => {
    const { window, syncStatus, dispose } = setup('darwin', false)
    const shown = vi.fn()
    window.on('shown', shown)
    syncStatus.report({ pending: 0, failed: 0, draining: false })
    window.close()
    await settle()
    expect(window).toMatchObject({ visible: false, closed: false })
    expect(fake.notifications).toEqual([])
    fake.app.emit('activate')
    expect(shown).toHaveBeenCalledTimes(1)
    syncStatus.report({ pending: 3, failed: 1, draining: true })
    syncStatus.report({ pending: 0, failed: 0, draining: false })
    expect(fake.badges).toEqual(['', '', '4', ''])
    dispose()
  })
})

describe('closeDecision', () => {
  const base = { quitting: false, closeToTray: false, status: { pending: 0, failed: 0, draining: false }, platform: 'win32' as const }
  it('keeps entries the person must fix from holding the app open when the setting is off', () => {
    expect(closeDecision({ ...base, status: { pending: 0, failed: 2, draining: false } })).toBe('close')
    expect(closeDecision({ ...base, status: { pending: 1, failed: 0, draining: false } })).toBe('hide')
    expect(closeDecision({ ...base, status: null })).toBe('close')
    expect(closeDecision({ ...base, quitting: true, closeToTray: true })).toBe('close')
  })
})

describe('the closeToTray setting', () => {
  it('is on for a settings file written before it existed, and can be turned off', () => {
    const older = { apiBaseUrl: 'https://sandbox.upvest.co', clientId: '7d9f4b5e-4f6a-4d55-9b77-0d1f2e3a4b5c', keyId: 'k' }
    expect(SettingsSchema.parse(older).closeToTray).toBe(true)
    expect(SettingsSchema.parse({ ...older, closeToTray: false }).closeToTray).toBe(false)
    expect(() => SettingsSchema.parse({ ...older, closeToTray: 'yes' })).toThrow()
  })
})
