// Real IndexedDB semantics in Node for Dexie (this file runs in the `node` project).
import 'fake-indexeddb/auto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type OutpostDb } from '../../../renderer/src/db/database'
import { enqueueCreate } from '../../../renderer/src/db/outbox-repository'
import { createTargetDatabases } from '../../../renderer/src/db/target-databases'
import type { SyncEngine } from '../../../renderer/src/sync/engine'
import type { SyncTransport } from '../../../renderer/src/sync/transport'
import type { ApiTarget } from '../../../shared/api-target'
import { clientConfigForDemo, createApiClient, type ApiClient } from '../../../shared/node/api'
import { startSandbox, type Sandbox } from '../../../server/sandbox'
import { startEngine } from '../../support/sync/engine-harness'
import { createBody, waitUntil } from '../../support/sync/fixtures'
import { allServerUsers, apiTransport, FAST_SANDBOX, type SwitchableTransport } from './harness'

/** Two simulators standing for two API targets with the same client: a sandbox and "production". */
interface Target {
  readonly sandbox: Sandbox
  readonly api: ApiClient
  readonly transport: SwitchableTransport
  readonly target: ApiTarget
}

async function startTarget(): Promise<Target> {
  const sandbox = await startSandbox({ ...FAST_SANDBOX, seed: 0 })
  const api = createApiClient({ ...clientConfigForDemo(sandbox.url, sandbox.devClient), timeoutMs: 2_000 })
  return { sandbox, api, transport: apiTransport(api), target: { apiBaseUrl: sandbox.url, clientId: sandbox.devClient.clientId } }
}

/** Main as the renderer sees it: every call goes to the target Settings name now. */
function mainTransport(current: () => Target): SyncTransport {
  return {
    createUser: (input) => current().transport.createUser(input),
    getUser: (input) => current().transport.getUser(input),
    listUsers: (input) => current().transport.listUsers(input),
    requestDataChange: (input) => current().transport.requestDataChange(input),
    offboardUser: (input) => current().transport.offboardUser(input),
    confirmFeedBatch: (input) => current().transport.confirmFeedBatch(input),
  }
}

const names = async (t: Target) => (await allServerUsers(t.api)).map((u) => `${u.first_name} ${u.last_name}`)

let sandbox: Target
let production: Target

beforeAll(async () => {
  ;[sandbox, production] = await Promise.all([startTarget(), startTarget()])
})
afterAll(async () => {
  await Promise.all([sandbox?.sandbox.close(), production?.sandbox.close()])
})

describe('switching the API target', { timeout: 60_000 }, () => {
  it('never sends work queued for one target to another, and sends it when switched back', async () => {
    const targets = createTargetDatabases({
      registryName: 'switch-registry',
      legacyName: 'outpost-legacyswitch',
      unconfiguredName: 'outpost-unconfiguredswitch',
    })
    let settings = sandbox
    const main = mainTransport(() => settings)
    let engine: SyncEngine | null = null
    let db: OutpostDb | null = null
    /** What the app does: stop sending, point main at the target, open its database, start again. */
    async function switchTo(next: Target): Promise<OutpostDb> {
      await engine?.stop()
      db?.close()
      settings = next
      db = openDatabase(await targets.resolve(next.target))
      engine = startEngine(db, main)
      return db
    }

    // Queued for the sandbox while it cannot be reached.
    sandbox.transport.online = false
    const sandboxDb = await switchTo(sandbox)
    await enqueueCreate(createBody(1, { first_name: 'Sandra', last_name: 'Sandbox' }), sandboxDb)
    await waitUntil(async () => ((await sandboxDb.outbox.toArray())[0]?.attempts ?? 0) > 0, 10_000, 'a first attempt')

    // Settings now point to production: its own database, which sends only its own work.
    const productionDb = await switchTo(production)
    expect(productionDb.name).not.toBe(sandboxDb.name)
    expect(await productionDb.outbox.count()).toBe(0)
    await enqueueCreate(createBody(2, { first_name: 'Paul', last_name: 'Production' }), productionDb)
    await waitUntil(async () => (await productionDb.outbox.count()) === 0, 20_000, 'production outbox empty')
    sandbox.transport.online = true
    // Production got its own user only; the sandbox's queued user never went there.
    expect(await names(production)).toContain('Paul Production')
    expect(await names(production)).not.toContain('Sandra Sandbox')
    expect(await targets.unsentElsewhere(productionDb.name)).toEqual([
      { name: sandboxDb.name, apiBaseUrl: sandbox.target.apiBaseUrl, clientId: sandbox.target.clientId, count: 1 },
    ])

    // Back to the sandbox: its queue is there again and goes to the sandbox only.
    const backDb = await switchTo(sandbox)
    expect(backDb.name).toBe(sandboxDb.name)
    await waitUntil(async () => (await backDb.outbox.count()) === 0, 20_000, 'sandbox outbox empty')
    expect(await names(sandbox)).toContain('Sandra Sandbox')
    expect(await names(sandbox)).not.toContain('Paul Production')
    expect(await names(production)).not.toContain('Sandra Sandbox')
    expect(await targets.unsentElsewhere(backDb.name)).toEqual([])
    await engine!.stop()
    backDb.close()
    targets.close()
  })
})
