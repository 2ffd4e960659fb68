// Tray and failure notification with `electron` mocked: the tooltip follows the queue,
// "Sync now" asks for a sync, and a notification appears only for new permanent failures.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createSyncStatusHub } from '../../../../electron/services/desktop/sync-status-hub'

const fake = vi.hoisted(() => {
  const trays: { tooltip: string; title: string; menu: { label?: string; click?: () => void }[] }[] = []
  const notifications: { title: string; body: string; shown: boolean; click?: () => void }[] = []
  class Tray {
    state = { tooltip: '', title: '', menu: [] as { label?: string; click?: () => void }[] }
    constructor() {
      trays.push(this.state)
    }
    setContextMenu(menu: { label?: string; click?: () => void }[]) {
      this.state.menu = menu
    }
    setToolTip(text: string) {
      this.state.tooltip = text
    }
    setTitle(text: string) {
      this.state.title = text
    }
    on() {}
    destroy() {}
  }
  class Notification {
    static isSupported = () => true
    state: { title: string; body: string; shown: boolean; click?: () => void }
    constructor(options: { title: string; body: string }) {
      this.state = { ...options, shown: false }
      notifications.push(this.state)
    }
    on(_event: 'click', listener: () => void) {
      this.state.click = listener
    }
    show() {
      this.state.shown = true
    }
  }
  return {
    trays,
    notifications,
    electron: {
      Tray,
      Notification,
      Menu: { buildFromTemplate: (template: unknown) => template },
      nativeImage: { createFromPath: () => ({ setTemplateImage: () => undefined }) },
      app: { isPackaged: false, getAppPath: () => '.', once: () => undefined, quit: () => undefined },
    },
  }
})
vi.mock('electron', () => fake.electron)
// vi.mock is hoisted above these imports.
import { initFailureNotifications } from '../../../../electron/main/notifications'
import { initTray } from '../../../../electron/main/tray'

describe('tray', () => {
  beforeEach(() => {
    fake.trays.length = 0
  })

  it('shows the queue in the tooltip and asks for a sync from the menu', () => {
    const status = createSyncStatusHub()
    const syncNow = vi.fn()
    initTray({ syncStatus: status, locale: 'en', showWindow: () => undefined, syncNow })
    const tray = fake.trays[0]
    if (tray === undefined) throw new Error('no tray')
    expect(tray.tooltip).toBe('Outpost')
    status.report({ pending: 3, failed: 0, draining: true })
    expect(tray.tooltip).toBe('Outpost — 3 actions waiting to be sent · Sending…')
    tray.menu.find((item) => item.label === 'Sync now')?.click?.()
    expect(syncNow).toHaveBeenCalledTimes(1)
  })

  it('leads its menu with the pending count, then Open, Sync now and Quit', () => {
    const status = createSyncStatusHub()
    const showWindow = vi.fn()
    initTray({ syncStatus: status, locale: 'en', showWindow, syncNow: () => undefined })
    const tray = fake.trays[0]
    if (tray === undefined) throw new Error('no tray')
    const labels = () => tray.menu.map((item) => item.label ?? '—')
    expect(labels()).toEqual(['Open Outpost', 'Sync now', '—', 'Quit Outpost'])
    status.report({ pending: 2, failed: 1, draining: false })
    expect(labels()).toEqual([
      '1 action needs your attention · 2 actions waiting to be sent',
      '—',
      'Open Outpost',
      'Sync now',
      '—',
      'Quit Outpost',
    ])
    tray.menu.find((item) => item.label === 'Open Outpost')?.click?.()
    expect(showWindow).toHaveBeenCalledTimes(1)
    status.report({ pending: 0, failed: 0, draining: false })
    expect(labels()[0]).toBe('Everything is sent')
  })
})

describe('failure notification', () => {
  beforeEach(() => {
    fake.notifications.length = 0
  })

  it('announces new permanent failures only, without personal data, and opens the window on click', () => {
    const status = createSyncStatusHub()
    const showWindow = vi.fn()
    initFailureNotifications({ syncStatus: status, locale: 'en', showWindow })
    status.report({ pending: 2, failed: 1, draining: false })
    expect(fake.notifications).toEqual([])

    status.report({ pending: 1, failed: 2, draining: false })
    expect(fake.notifications).toHaveLength(1)
    expect(fake.notifications[0]).toMatchObject({ title: 'An action could not be sent', shown: true })
    fake.notifications[0]?.click?.()
    expect(showWindow).toHaveBeenCalledTimes(1)

    status.report({ pending: 1, failed: 1, draining: false })
    expect(fake.notifications).toHaveLength(1)
  })
})
