import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { enqueueCreate, enqueueDataChange, enqueueOffboard } from '../../../../renderer/src/db/outbox-repository'
import { getEntryHistory, getUserHistory } from '../../../../renderer/src/db/queries'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { connectionState } from '../../../../renderer/src/sync/connection-state'
import type { SyncEngine } from '../../../../renderer/src/sync/engine'
import { pumpFeed, startEngine } from '../../../support/sync/engine-harness'
import { FakeUsersApi } from '../../../support/sync/fake-users-api'
import { createBody, emailChange, freshDb, POISON_ADDRESS, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
let api: FakeUsersApi
const engines: SyncEngine[] = []
const cleanups: Array<() => Promise<void>> = []

beforeEach(() => {
  db = freshDb('engine')
  api = new FakeUsersApi({ settleMs: 5 })
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
  await Promise.all(engines.splice(0).map((e) => e.stop()))
  api.close()
  db.close()
})

function run(options: Parameters<typeof startEngine>[2] = {}): SyncEngine {
  const engine = startEngine(db, api.transport(), options)
  engines.push(engine)
  return engine
}
const outboxEmpty = async () => (await db.outbox.count()) === 0

describe('sync engine', () => {
  it('a server answering 503 is not "Online": the phase says offline until the API answers properly', async () => {
    api.injectFaults('server', 'server', 'server')
    const engine = run()
    await enqueueCreate(createBody(1), db)
    await waitUntil(() => api.calls.length > 0, 5_000, 'a first send')
    await waitUntil(() => engine.snapshot().phase === 'offline', 5_000, 'offline phase after a 503')
    const facts = { deviceOnline: true, apiReachable: true, lastContact: Date.now(), live: null, now: Date.now() }
    expect(connectionState({ ...facts, phase: engine.snapshot().phase })).toBe('serverUnreachable')
    // Once the server answers again, the phase leaves offline (the entry is created).
    engine.retryNow()
    await waitUntil(outboxEmpty, 30_000, 'empty outbox')
    await waitUntil(() => engine.snapshot().phase !== 'offline', 5_000, 'phase back')
  })

  it('drains a create + data change + offboard chain queued offline, re-keying once the id arrives', async () => {
    api.online = false
    const engine = run()
    const { userKey } = await enqueueCreate(createBody(1), db)
    await enqueueDataChange(userKey, emailChange('anna@example.com'), db)
    // Once the create was tried, the offboarding queues behind it (before, it would cancel locally).
    await waitUntil(() => engine.snapshot().phase === 'offline', 5_000, 'offline phase')
    expect((await enqueueOffboard(userKey, db)).cancelledLocally).toBe(false)
    expect(await db.outbox.count()).toBe(3)

    api.online = true
    cleanups.push(pumpFeed(engine, () => api.takeFeedBatch()))
    engine.kick()
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    const [server] = [...api.users.values()]
    expect(api.users.size).toBe(1)
    expect(server).toMatchObject({ email: 'anna@example.com', status: 'OFFBOARDING' })
    expect(await db.users.get(userKey)).toBeUndefined()
    expect((await db.users.get(server!.id))?.serverId).toBe(server!.id)
    const steps = (await getUserHistory(server!.id, db)).map((h) => h.step)
    expect(steps).toContain('rekeyed')
    // Steps written under the local key before the server id came are part of the user's history.
    expect(steps.filter((s) => s === 'queued')).toHaveLength(3)
    expect(steps.filter((s) => s === 'applied')).toHaveLength(3)
    expect(new Set((await db.history.toArray()).map((h) => h.userKey))).toEqual(new Set([userKey, server!.id]))
  })

  it('a timeout after the server committed never makes a second user (same idempotency key)', async () => {
    api.injectFaults('timeout_after_commit', 'server', 'server')
    run()
    await enqueueCreate(createBody(1), db)
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    expect(api.users.size).toBe(1)
    expect([...api.creates.values()]).toEqual([1])
    expect(api.calls.filter((c) => c === 'createUser').length).toBeGreaterThanOrEqual(3)
  })

  it('a create older than the key lifetime reads back instead of creating again', async () => {
    let clock = 1_000_000
    api.injectFaults('timeout_after_commit')
    // Jitter never 0 here: with the clock frozen the retry waits until the test moves time on.
    // No rate cap: its bucket fills with time, which stands still here.
    const engine = run({ now: () => clock, keyLifetimeMs: 60_000, random: () => 0.99, ratePerSecond: Number.POSITIVE_INFINITY })
    await enqueueCreate(createBody(1), db, clock)
    await waitUntil(async () => (await db.outbox.toArray())[0]?.state === 'queued' && api.users.size === 1, 5_000, 'first attempt')
    api.expireKeys()
    clock += 120_000
    engine.kick()
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    expect(api.users.size).toBe(1)
    expect(api.calls).toContain('listUsers')
    expect(api.calls.filter((c) => c === 'createUser')).toHaveLength(1)
  })

  it('parks a poison entry with its field errors while other lanes drain', async () => {
    run()
    const poison = await enqueueCreate(createBody(0, { address: POISON_ADDRESS } as never), db)
    await enqueueDataChange(poison.userKey, emailChange('x@y.de'), db)
    for (let i = 1; i <= 5; i++) await enqueueCreate(createBody(i), db)
    await waitUntil(async () => (await db.outbox.count()) === 2, 10_000, 'other lanes drained')
    const [head, next] = await db.outbox.orderBy('seq').toArray()
    expect(head).toMatchObject({ state: 'parked', lastError: { kind: 'validation', fieldErrors: [{ field: 'address.address_line1' }] } })
    expect(next).toMatchObject({ kind: 'dataChange', state: 'queued', attempts: 0 })
    expect(api.users.size).toBe(5)
  })

  it('honours Retry-After as a pause of the whole client', async () => {
    api = new FakeUsersApi({ retryAfterMs: 300 })
    api.injectFaults('rate_limited')
    const engine = run()
    await enqueueCreate(createBody(1), db)
    await waitUntil(() => engine.snapshot().pausedUntil > 0, 5_000, 'pause')
    for (let i = 2; i <= 4; i++) await enqueueCreate(createBody(i), db)
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    const [first, ...rest] = api.callTimes
    expect(rest.every((t) => t - first! >= 290)).toBe(true)
    expect(api.users.size).toBe(4)
  })

  it('entries marked ahead of their slot wait out a Retry-After pause too', async () => {
    api = new FakeUsersApi({ retryAfterMs: 300, latencyMs: 30 })
    api.injectFaults('rate_limited')
    for (let i = 1; i <= 4; i++) await enqueueCreate(createBody(i), db)
    run({ concurrency: 1, markAhead: 3 })
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    const [first, ...rest] = api.callTimes
    expect(rest).toHaveLength(4)
    expect(rest.every((t) => t - first! >= 290)).toBe(true)
    expect(api.users.size).toBe(4)
  })

  it('sends an entry marked ahead as soon as a slot frees, never more requests than slots', async () => {
    api = new FakeUsersApi({ latencyMs: 20 })
    for (let i = 0; i < 12; i++) await enqueueCreate(createBody(i), db)
    // No rate cap: slots, not the pace of an empty bucket, are what this test bounds.
    run({ concurrency: 3, markAhead: 3, ratePerSecond: Number.POSITIVE_INFINITY })
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    expect(api.maxInFlight).toBe(3)
    expect(api.users.size).toBe(12)
    const entryIds = [...new Set((await db.history.toArray()).map((h) => h.entryId))]
    const sent = await Promise.all(entryIds.map(async (id) => (await getEntryHistory(id, db)).some((h) => h.step === 'sent')))
    expect(sent.filter(Boolean)).toHaveLength(12)
  })

  it('treats 409 on DELETE of an offboarding user as done', async () => {
    const created = await api.createUser(createBody(1), 'k')
    if (!created.ok) throw new Error('setup')
    await db.users.put(rowFromServerUser(created.value, 1, 0))
    await api.offboardUser(created.value.id)
    run()
    await enqueueOffboard(created.value.id, db)
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    expect((await getUserHistory(created.value.id, db)).map((h) => h.detail)).toContain('the user is already offboarding')
  })

  it('sends data changes one at a time per user, settling by read-back when the event never comes', async () => {
    const created = await api.createUser(createBody(1), 'k')
    if (!created.ok) throw new Error('setup')
    await db.users.put(rowFromServerUser(created.value, 1, 0))
    run()
    await enqueueDataChange(created.value.id, emailChange('one@x.de'), db)
    await enqueueDataChange(created.value.id, emailChange('two@x.de'), db)
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    expect(api.users.get(created.value.id)?.email).toBe('two@x.de')
    // Each change read the user before it went (rules 9 and 10) and waited for its read-back before the next one went.
    expect(api.calls.filter((c) => c !== 'createUser' && c !== 'offboardUser')).toEqual([
      'getUser',
      'requestDataChange',
      'getUser',
      'getUser',
      'requestDataChange',
      'getUser',
    ])
  })

  it('runs different users concurrently, bounded', async () => {
    api = new FakeUsersApi({ latencyMs: 20 })
    for (let i = 0; i < 16; i++) await enqueueCreate(createBody(i), db)
    // No rate cap: at 100 a second from an empty bucket, 20 ms requests would never stack 4 deep.
    run({ concurrency: 4, ratePerSecond: Number.POSITIVE_INFINITY })
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    expect(api.maxInFlight).toBe(4)
    expect(api.users.size).toBe(16)
  })

  it('records every attempt in order, one that a crash cut off included', async () => {
    api = new FakeUsersApi({ latencyMs: 100 })
    const first = run()
    const { entryId } = await enqueueCreate(createBody(1), db)
    await waitUntil(() => api.inFlight === 1, 5_000, 'first request in the air')
    first.crash()
    await waitUntil(() => api.inFlight === 0, 5_000, 'the cut-off request answered into the void')
    api.injectFaults('server')
    run()
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    const history = await getEntryHistory(entryId, db)
    expect(history.map((h) => `${h.step}:${h.detail.replace(/;.*/, '')}`)).toEqual([
      'queued:',
      'sent:',
      'sent:attempt 2',
      'retry:HTTP 503',
      'sent:attempt 3',
      `applied:created as ${[...api.users.keys()][0]}`,
      `rekeyed:${[...api.users.keys()][0]}`,
    ])
    // Each "sent" is dated when its request went out, before what ended it.
    expect(history.map((h) => h.at)).toEqual([...history.map((h) => h.at)].sort((a, b) => a - b))
  })

  it('lets only one engine drain a database at a time', async () => {
    api = new FakeUsersApi({ latencyMs: 5 })
    const lockName = `drain-${Math.random()}`
    const first = run({ lockName })
    const second = run({ lockName })
    await waitUntil(() => first.snapshot().leader, 5_000, 'leader')
    expect(second.snapshot().leader).toBe(false)
    for (let i = 0; i < 10; i++) await enqueueCreate(createBody(i), db)
    await waitUntil(outboxEmpty, 10_000, 'empty outbox')
    await first.stop()
    await waitUntil(() => second.snapshot().leader, 5_000, 'second takes over')
    expect([...api.creates.values()].every((n) => n === 1)).toBe(true)
  })
})
