/** The app says when another API target still holds unsent work: which address, how many entries. */
import 'fake-indexeddb/auto'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PublicSettings } from '../../../../shared/settings'
import { createBody } from '../../../support/sync/fixtures'
import { mountWithI18n } from './helpers'

const CLIENT = '11111111-1111-4111-8111-111111111111'
const SANDBOX = 'https://sandbox.example.com/v1'
const PRODUCTION = 'https://api.example.com/v1'
const main = vi.hoisted(() => ({ apiBaseUrl: '' }))

function settings(): PublicSettings {
  return {
    settings: {
      apiBaseUrl: main.apiBaseUrl,
      clientId: CLIENT,
      keyId: 'k',
      scopes: ['users:read'],
      startMinimized: false,
      closeToTray: true,
    },
    hasClientSecret: true,
    hasPrivateKey: true,
    hasBridgeToken: false,
  }
}
const transport = {
  getSettings: async () => settings(),
  getAppInfo: async () => ({ version: '1', platform: 'linux', transport: 'web' as const }),
  readJournal: async () => ({ entries: [] }),
}
vi.mock('../../../../renderer/src/transport', () => ({ getTransport: () => transport }))

const { openAppDatabase } = await import('../../../../renderer/src/db/app-database')
const { enqueueCreate } = await import('../../../../renderer/src/db/outbox-repository')
const UnsentElsewhere = (await import('../../../../renderer/src/components/UnsentElsewhere.vue')).default

let wrapper: VueWrapper | undefined
afterEach(() => wrapper?.unmount())

describe('UnsentElsewhere', () => {
  it('names the other address and its unsent entries after switching, and nothing once back there with them', async () => {
    main.apiBaseUrl = SANDBOX
    const sandbox = await openAppDatabase(transport)
    await enqueueCreate(createBody(1), sandbox.db)
    await enqueueCreate(createBody(2), sandbox.db)

    main.apiBaseUrl = PRODUCTION
    const production = await openAppDatabase(transport)
    expect(production.name).not.toBe(sandbox.name)
    wrapper = mountWithI18n(UnsentElsewhere, {})
    await flushPromises()
    await vi.waitFor(() => expect(wrapper!.text()).toContain(`2 changes for ${SANDBOX} are not sent yet.`))
    expect(wrapper.text()).toContain('never to the address in use now')
    wrapper.unmount()

    wrapper = mountWithI18n(UnsentElsewhere, {}, 'de')
    await vi.waitFor(() => expect(wrapper!.text()).toContain(`2 Änderungen für ${SANDBOX} sind noch nicht gesendet.`))
    wrapper.unmount()

    main.apiBaseUrl = SANDBOX
    const back = await openAppDatabase(transport)
    expect(back.name).toBe(sandbox.name)
    expect(await back.db.outbox.count()).toBe(2)
    wrapper = mountWithI18n(UnsentElsewhere, {})
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    expect(wrapper.find('[data-testid="unsent-elsewhere"]').exists()).toBe(false)
  })
})
