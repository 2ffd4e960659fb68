// The defects seen when others act on the same users, each against the real simulator (its
// back office, its lifecycle, its token checks). Runs in the `node` project.
import 'fake-indexeddb/auto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../renderer/src/db/database'
import { editAndResend, enqueueCreate, enqueueDataChange } from '../../../renderer/src/db/outbox-repository'
import { getEntryHistory } from '../../../renderer/src/db/queries'
import { rowFromServerUser } from '../../../renderer/src/db/user-row'
import type { SyncEngine } from '../../../renderer/src/sync/engine'
import type { SyncTransport } from '../../../renderer/src/sync/transport'
import { clientConfigForDemo, createApiClient } from '../../../shared/node/api'
import type { User } from '../../../shared/schemas/user'
import { startEngine } from '../../support/sync/engine-harness'
import { createBody, emailChange, freshDb, waitUntil } from '../../support/sync/fixtures'
import { allServerUsers, apiTransport, startSyncWorld, type SyncWorld } from './harness'

let world: SyncWorld
let db: OutpostDb
const engines: SyncEngine[] = []
let n = 0

beforeAll(async () => {
  world = await startSyncWorld()
})
afterAll(async () => {
  await world?.close()
})
beforeEach(() => {
  db = freshDb('shared-world-sandbox')
  world.transport.online = true
})
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()))
  await world.admin('DELETE', '/faults')
  db.close()
})

/** Counts each call that went to the simulator, by method. */
function counting(transport: SyncTransport): SyncTransport & { calls: string[] } {
  const calls: string[] = []
  const wrap =
    <I, O>(name: string, call: (input: I) => Promise<O>) =>
    (input: I) => {
      calls.push(name)
      return call(input)
    }
  return {
    calls,
    createUser: wrap('createUser', transport.createUser),
    getUser: wrap('getUser', transport.getUser),
    listUsers: wrap('listUsers', transport.listUsers),
    requestDataChange: wrap('requestDataChange', transport.requestDataChange),
    offboardUser: wrap('offboardUser', transport.offboardUser),
    confirmFeedBatch: transport.confirmFeedBatch,
  }
}

function run(transport: SyncTransport): SyncEngine {
  // Events are not pumped: each case is decided by what the API answers and the read-back.
  const engine = startEngine(db, transport, { awaitTimeoutMs: 5_000 })
  engines.push(engine)
  return engine
}

/** A user on the simulator and in the cache, as a reconcile left it. */
async function cachedUser(): Promise<User> {
  n += 1
  const created = await world.api.createUser(createBody(900 + n), crypto.randomUUID())
  if (!created.ok) throw new Error(created.error.message)
  await world.admin('POST', `/back-office/users/${created.value.id}/change`, { email: `first${n}@example.com` })
  const read = await world.api.getUser(created.value.id)
  if (!read.ok) throw new Error(read.error.message)
  await db.users.put(rowFromServerUser(read.value, 1, 0))
  return read.value
}

const entry = async (id: string) => db.outbox.where('id').equals(id).first()
const changedEvents = (userId: string, email: string) =>
  new Set(
    world
      .allEvents()
      .filter((e) => e.type === 'USER.DATA_CHANGED' && e.object.id === userId && e.object.email === email)
      .map((e) => e.id),
  ).size

describe('the engine against the simulator when others act on the same users', { timeout: 60_000 }, () => {
  it('parks a data change for a user offboarded elsewhere (409) with that reason, instead of waiting and resending forever', async () => {
    const user = await cachedUser()
    await world.admin('POST', `/back-office/users/${user.id}/offboard`, { immediately: true })
    const { entryId } = await enqueueDataChange(user.id, emailChange('late@example.com'), db)
    const transport = counting(world.transport)
    run(transport)
    await waitUntil(async () => (await entry(entryId))?.state === 'parked', 15_000, 'the change parked')
    expect((await entry(entryId))?.lastError?.message).toMatch(/OFFBOARDED/)
    const steps = (await getEntryHistory(entryId, db)).map((h) => h.step)
    expect(steps).not.toContain('accepted')
    await new Promise((r) => setTimeout(r, 500))
    expect(transport.calls.filter((c) => c === 'requestDataChange').length).toBeLessThanOrEqual(1)
  })

  it('applies a data change once when the app died while it was in flight and the server applied it meanwhile', async () => {
    const user = await cachedUser()
    const { entryId } = await enqueueDataChange(user.id, emailChange(`once${n}@example.com`), db)
    await world.faults({ timeoutAfterCommitNext: 1 })
    const engine = run(world.transport)
    await waitUntil(async () => ((await entry(entryId))?.firstSentAt ?? null) !== null, 10_000, 'the change sent')
    engine.crash()
    // The provider applies it while the app is down.
    await waitUntil(async () => changedEvents(user.id, `once${n}@example.com`) > 0, 15_000, 'applied on the simulator')
    run(world.transport)
    await waitUntil(async () => (await entry(entryId)) === undefined, 15_000, 'the change settled')
    await new Promise((r) => setTimeout(r, 500))
    expect(changedEvents(user.id, `once${n}@example.com`)).toBe(1)
  })

  it('stops sending when the credentials are refused: no further requests, attempts and sent steps do not grow, the status says so', async () => {
    const wrongSecret = createApiClient({
      ...clientConfigForDemo(world.sandbox.url, { ...world.sandbox.devClient, clientSecret: 'not-the-secret' }),
      timeoutMs: 2_000,
    })
    const transport = counting(apiTransport(wrongSecret))
    const { entryId } = await enqueueCreate(createBody(990), db)
    const engine = run(transport)
    await waitUntil(() => engine.snapshot().credentialsRejected !== null, 10_000, 'credentials rejected')
    const before = transport.calls.length
    await new Promise((r) => setTimeout(r, 1_500))
    expect(transport.calls.slice(before)).toEqual([])
    expect(transport.calls.length).toBeLessThanOrEqual(2)
    // The one refused try at most: not a count that grows while nothing can succeed.
    expect((await entry(entryId))?.attempts).toBeLessThanOrEqual(1)
    expect((await getEntryHistory(entryId, db)).filter((h) => h.step === 'sent').length).toBeLessThanOrEqual(1)
  })

  it('parks a change whose field the back office changed since it was queued, and leaves their value', async () => {
    const user = await cachedUser()
    const { entryId } = await enqueueDataChange(user.id, emailChange('mine@example.com'), db)
    await world.admin('POST', `/back-office/users/${user.id}/change`, { email: `theirs${n}@example.com` })
    const transport = counting(world.transport)
    run(transport)
    await waitUntil(async () => (await entry(entryId))?.lastError?.kind === 'conflict', 15_000, 'parked as a conflict')
    expect((await entry(entryId))?.lastError?.conflicts).toEqual([
      { field: 'email', base: `first${n}@example.com`, theirs: `theirs${n}@example.com`, mine: 'mine@example.com' },
    ])
    expect(transport.calls).not.toContain('requestDataChange')
    const server = await world.api.getUser(user.id)
    expect(server.ok && server.value.email).toBe(`theirs${n}@example.com`)
  })

  it('sends a create corrected before it was sent, and only that', async () => {
    world.transport.online = false
    const { entryId } = await enqueueCreate(createBody(991, { last_name: 'Schmidtt' }), db)
    await editAndResend(entryId, { body: createBody(991, { last_name: 'Schmidt' }) }, db)
    world.transport.online = true
    run(world.transport)
    await waitUntil(async () => (await db.outbox.count()) === 0, 15_000, 'created')
    const names = (await allServerUsers(world.api)).filter((u) => u.first_name === 'Anna991').map((u) => u.last_name)
    expect(names).toEqual(['Schmidt'])
  })
})
