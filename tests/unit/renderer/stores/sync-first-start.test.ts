/** The app's first start of sending waits for the first screen; a stop meanwhile (Settings switching the API target) cancels it. */
import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const transport = {
  getSettings: async () => ({ settings: null, hasClientSecret: false, hasPrivateKey: false, hasBridgeToken: false }),
  getAppInfo: async () => ({ version: '1', platform: 'linux', transport: 'web' as const }),
  readJournal: async () => ({ entries: [] }),
  writeJournal: async () => null,
  getConnectivity: async () => ({ online: true, since: new Date(0).toISOString() }),
  setQueueState: async () => null,
  reportSyncStatus: async () => null,
  on: () => () => undefined,
}
vi.mock('../../../../renderer/src/transport', () => ({ getTransport: () => transport }))

const { openAppDatabase } = await import('../../../../renderer/src/db/app-database')
const { useSyncStore } = await import('../../../../renderer/src/stores/sync')

describe('sync store: the first start', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    await (await openAppDatabase(transport as never)).db.open()
  })
  afterEach(async () => {
    await useSyncStore().stop()
  })

  it('starts sending when nothing stopped it meanwhile', async () => {
    const sync = useSyncStore()
    sync.startFirst()
    expect(sync.snapshot).not.toBeNull()
  })

  it('does not start once sending was stopped before it (a start held back past a target switch sends nothing)', async () => {
    const sync = useSyncStore()
    await sync.stop()
    sync.startFirst()
    expect(sync.snapshot).toBeNull()
    // An explicit start (Settings resuming after a failed save) still starts.
    sync.start()
    expect(sync.snapshot).not.toBeNull()
  })
})
