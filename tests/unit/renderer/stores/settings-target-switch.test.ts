/** Saving Settings that point to another API target: sending stops first, then the app starts again on that target's database. */
import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { PublicSettings, Settings, SettingsUpdate } from '../../../../shared/settings'

const CLIENT = '11111111-1111-4111-8111-111111111111'
const log = vi.hoisted(() => ({ steps: [] as string[], saved: null as Settings | null, failSave: false }))

const settingsFor = (apiBaseUrl: string, keyId = 'k'): Settings => ({
  apiBaseUrl,
  clientId: CLIENT,
  keyId,
  scopes: ['users:read'],
  startMinimized: false,
  closeToTray: true,
})
const publicOf = (settings: Settings | null): PublicSettings => ({
  settings,
  hasClientSecret: true,
  hasPrivateKey: true,
  hasBridgeToken: false,
})
const transport = {
  getSettings: async () => publicOf(log.saved),
  getAppInfo: async () => ({ version: '1', platform: 'linux', transport: 'web' as const }),
  readJournal: async () => ({ entries: [] }),
  saveSettings: async (update: SettingsUpdate) => {
    log.steps.push('save')
    if (log.failSave) throw new Error('disk full')
    log.saved = update.settings
    return publicOf(update.settings)
  },
}
vi.mock('../../../../renderer/src/transport', () => ({ getTransport: () => transport }))
vi.mock('../../../../renderer/src/stores/sync', () => ({
  useSyncStore: () => ({
    stop: async () => void log.steps.push('stop'),
    start: () => void log.steps.push('start'),
    syncNow: () => void log.steps.push('syncNow'),
  }),
}))
const reload = vi.fn(() => void log.steps.push('reload'))
vi.stubGlobal('location', { reload })

const { currentAppDatabase, openAppDatabase } = await import('../../../../renderer/src/db/app-database')
const { useSettingsStore } = await import('../../../../renderer/src/stores/settings')
const update = (settings: Settings): SettingsUpdate => ({ settings, secrets: {} })

describe('settings store: the API target', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    log.steps = []
    log.failSave = false
  })

  it('first configuration keeps the database used so far (its queue goes to that first target), without a restart', async () => {
    log.saved = null
    const unconfigured = await openAppDatabase(transport)
    await unconfigured.db.open()
    expect(await useSettingsStore().save(update(settingsFor('https://sandbox.example.com')))).toBeNull()
    expect(log.steps).toEqual(['save', 'syncNow'])
    expect(currentAppDatabase().target?.apiBaseUrl).toBe('https://sandbox.example.com')
    // Started again with these settings, the same database is opened.
    expect((await openAppDatabase(transport)).name).toBe(unconfigured.name)
  })

  it('the same target with other credentials keeps its database and sending goes on', async () => {
    expect(await useSettingsStore().save(update(settingsFor('https://sandbox.example.com', 'k2')))).toBeNull()
    expect(log.steps).toEqual(['save', 'syncNow'])
  })

  it('another target: sending stops before main switches, then the app restarts on that target; a failed save resumes sending', async () => {
    log.failSave = true
    expect(await useSettingsStore().save(update(settingsFor('https://api.example.com')))).toBe('disk full')
    expect(log.steps).toEqual(['stop', 'save', 'start'])
    log.steps = []
    log.failSave = false
    expect(await useSettingsStore().save(update(settingsFor('https://api.example.com')))).toBeNull()
    expect(log.steps).toEqual(['stop', 'save', 'reload'])
    const before = currentAppDatabase().name
    expect((await openAppDatabase(transport)).name).not.toBe(before)
  })
})
