// Real IndexedDB semantics in Node for Dexie (this file runs in the `node` project).
import 'fake-indexeddb/auto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../renderer/src/db/database'
import { enqueueCreate, enqueueDataChange, enqueueOffboard } from '../../../renderer/src/db/outbox-repository'
import { getUser } from '../../../renderer/src/db/queries'
import type { SyncEngine } from '../../../renderer/src/sync/engine'
import { pumpFeed, startEngine } from '../../support/sync/engine-harness'
import { createBody, freshDb, nameChange, POISON_ADDRESS, waitUntil } from '../../support/sync/fixtures'
import { allServerUsers, startSyncWorld, type SyncWorld } from './harness'

let world: SyncWorld
let db: OutpostDb
const engines: SyncEngine[] = []
const cleanups: Array<() => Promise<void>> = []
let prefix = 0

beforeAll(async () => {
  world = await startSyncWorld()
})
afterAll(async () => {
  await world?.close()
})
beforeEach(() => {
  db = freshDb('sandbox-sync')
  prefix += 1
  world.transport.online = true
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
  await Promise.all(engines.splice(0).map((e) => e.stop()))
  await world.admin('DELETE', '/faults')
  db.close()
})

function run(): SyncEngine {
  // Events are the primary path here; the read-back fallback only after a generous wait, so a
  // slow machine cannot turn an awaited event into a resend.
  const engine = startEngine(db, world.transport, { awaitTimeoutMs: 5_000 })
  engines.push(engine)
  cleanups.push(pumpFeed(engine, () => world.takeFeedBatch()))
  return engine
}
/** Unique bodies per test: the simulator is shared by the file. */
const body = (n: number, overrides = {}) => createBody(prefix * 1000 + n, overrides)
const outboxEmpty = async () => (await db.outbox.count()) === 0
async function serverCopies(n: number) {
  const b = body(n)
  return (await allServerUsers(world.api)).filter((u) => u.first_name === b.first_name && u.last_name === b.last_name)
}

// Generous per-test budget: each test waits on conditions (never sleeps) and CI machines are shared.
describe('sync engine against the simulator', { timeout: 90_000 }, () => {
  it('a timeout after commit makes no duplicate user', async () => {
    await world.faults({ timeoutAfterCommitNext: 1 })
    run()
    const { userKey } = await enqueueCreate(body(1), db)
    await waitUntil(outboxEmpty, 20_000, 'empty outbox')
    const copies = await serverCopies(1)
    expect(copies).toHaveLength(1)
    expect(await db.users.get(userKey)).toBeUndefined()
    expect(await db.users.get(copies[0]!.id)).toBeDefined()
  })

  it('rides out 500/503 bursts', async () => {
    await world.faults({ errorRate: 0.5, errorStatus: 503 })
    run()
    for (let i = 1; i <= 8; i++) await enqueueCreate(body(i), db)
    await waitUntil(
      async () => (await db.outbox.where('state').equals('queued').count()) > 0 || (await outboxEmpty()),
      20_000,
      'some retry',
    )
    await world.faults({ errorRate: 0.5, errorStatus: 500 })
    await waitUntil(outboxEmpty, 30_000, 'empty outbox')
    await world.admin('DELETE', '/faults')
    for (let i = 1; i <= 8; i++) expect(await serverCopies(i)).toHaveLength(1)
  })

  it('pauses the whole client on 429 with Retry-After', async () => {
    await world.faults({ rateLimitNext: 1, retryAfterSeconds: 1 })
    const engine = run()
    const started = Date.now()
    await enqueueCreate(body(1), db)
    await waitUntil(() => engine.snapshot().pausedUntil > 0, 10_000, 'pause')
    const pausedUntil = engine.snapshot().pausedUntil
    expect(pausedUntil - started).toBeGreaterThanOrEqual(900)
    for (let i = 2; i <= 4; i++) await enqueueCreate(body(i), db)
    await waitUntil(outboxEmpty, 20_000, 'empty outbox')
    expect(Date.now()).toBeGreaterThanOrEqual(pausedUntil)
    for (let i = 1; i <= 4; i++) expect(await serverCopies(i)).toHaveLength(1)
  })

  it('parks a poison entry with the API’s field errors while other lanes drain', async () => {
    run()
    const poison = await enqueueCreate(body(0, { address: POISON_ADDRESS }), db)
    for (let i = 1; i <= 4; i++) await enqueueCreate(body(i), db)
    await waitUntil(
      async () => (await db.outbox.count()) === 1 && (await db.outbox.toArray())[0]?.state === 'parked',
      20_000,
      'poison parked, others drained',
    )
    const [parked] = await db.outbox.toArray()
    expect(parked!.userKey).toBe(poison.userKey)
    expect(parked!.lastError?.kind).toBe('validation')
    expect(parked!.lastError?.fieldErrors.map((f) => f.field)).toContain('address.address_line1')
    for (let i = 1; i <= 4; i++) expect(await serverCopies(i)).toHaveLength(1)
  })

  it('queues a create + data change + offboard chain offline and drains it in order once online', async () => {
    world.transport.online = false
    const engine = run()
    const { userKey } = await enqueueCreate(body(1), db)
    await enqueueDataChange(userKey, nameChange('Renamed', `Person${prefix}`), db)
    // Once the create was tried (and failed offline) the offboarding queues behind it; before
    // that it would cancel the never-sent user locally (covered by the repository tests).
    await waitUntil(() => engine.snapshot().phase === 'offline', 10_000, 'offline')
    expect((await enqueueOffboard(userKey, db)).cancelledLocally).toBe(false)
    expect(await serverCopies(1)).toHaveLength(0)
    world.transport.online = true
    engine.kick()
    await waitUntil(outboxEmpty, 20_000, 'empty outbox')
    const server = (await allServerUsers(world.api)).filter((u) => u.last_name === `Person${prefix}`)
    expect(server).toHaveLength(1)
    expect(server[0]).toMatchObject({ first_name: 'Renamed' })
    expect(['OFFBOARDING', 'OFFBOARDED']).toContain(server[0]!.status)
    // The cache follows the server through the events.
    await waitUntil(async () => (await getUser(server[0]!.id, db))?.row.user?.first_name === 'Renamed', 20_000, 'cache updated')
  })

  it('parks a data change the API refuses later (USER.DATA_CHANGE_FAILED)', async () => {
    run()
    const { userKey } = await enqueueCreate(body(1), db)
    await waitUntil(outboxEmpty, 20_000, 'created')
    const [server] = await serverCopies(1)
    await world.admin('POST', '/data-changes/reject-next', { reason: 'document expired' })
    await enqueueDataChange(server!.id, nameChange('Nope', 'Never'), db)
    await waitUntil(async () => (await db.outbox.toArray())[0]?.state === 'parked', 20_000, 'parked')
    expect((await db.outbox.toArray())[0]?.lastError?.message).toBe('document expired')
    expect(userKey).toMatch(/^local-/)
  })

  it('applies duplicate, late and out-of-order events without moving rows backwards', async () => {
    const engine = run()
    for (let i = 1; i <= 3; i++) await enqueueCreate(body(i), db)
    await waitUntil(outboxEmpty, 20_000, 'created')
    const users = [...(await serverCopies(1)), ...(await serverCopies(2)), ...(await serverCopies(3))]
    for (const u of users) await enqueueOffboard(u.id, db)
    await waitUntil(outboxEmpty, 20_000, 'offboarded')
    for (const u of users) await world.admin('POST', '/offboarding/complete', { user_id: u.id })
    await waitUntil(
      async () => {
        const rows = await db.users.bulkGet(users.map((u) => u.id))
        return rows.every((r) => r?.status === 'OFFBOARDED')
      },
      20_000,
      'offboarded in cache',
    )
    // Replay every event ever delivered, reversed and twice, as the bridge might after a lost confirm.
    const ours = new Set(users.map((u) => u.id))
    const all = world.allEvents().filter((e) => ours.has(e.type === 'USER.DATA_CHANGE_FAILED' ? e.object.user_id : e.object.id))
    const replay = [...all].reverse()
    const report = await engine.applyFeedBatch({ cursor: 'replay', events: [...replay, ...replay] })
    expect(report.applied).toBe(0)
    // Events the cache has never seen, oldest last: still no regression.
    const stale = all.filter((e) => e.type === 'USER.CREATED').map((e) => ({ ...e, id: crypto.randomUUID() }))
    await engine.applyFeedBatch({ cursor: 'stale', events: stale })
    const rows = await db.users.bulkGet(users.map((u) => u.id))
    expect(rows.map((r) => r?.status)).toEqual(['OFFBOARDED', 'OFFBOARDED', 'OFFBOARDED'])
    expect(world.transport.confirmed).toContain('stale')
  })
})
