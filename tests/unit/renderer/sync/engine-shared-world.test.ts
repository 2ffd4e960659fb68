/**
 * The engine when others act on the same users (DESIGN rules 9-14): the back office offboards
 * or changes a user, the provider deactivates one, credentials go stale, answers get lost.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { enqueueCreate, enqueueDataChange, sendAnyway } from '../../../../renderer/src/db/outbox-repository'
import { getEntryHistory } from '../../../../renderer/src/db/queries'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import type { SyncEngine } from '../../../../renderer/src/sync/engine'
import type { User } from '../../../../shared/schemas/user'
import { startEngine } from '../../../support/sync/engine-harness'
import { FakeUsersApi } from '../../../support/sync/fake-users-api'
import { createBody, emailChange, freshDb, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
let api: FakeUsersApi
const engines: SyncEngine[] = []

beforeEach(() => {
  db = freshDb('shared-world')
  api = new FakeUsersApi({ settleMs: 5 })
})
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()))
  api.close()
  db.close()
})

function run(options: Parameters<typeof startEngine>[2] = {}): SyncEngine {
  const engine = startEngine(db, api.transport(), options)
  engines.push(engine)
  return engine
}

/** A user on the server and in the cache, as a reconcile left it. */
async function cachedUser(): Promise<User> {
  const created = await api.createUser(createBody(1, { email: 'first@example.com' } as never), crypto.randomUUID())
  if (!created.ok) throw new Error('setup')
  await db.users.put(rowFromServerUser(created.value, 1, 0))
  return created.value
}

const entry = async (id: string) => db.outbox.where('id').equals(id).first()
const parkedWith = (kind: string) => async (id: string) =>
  (await entry(id))?.state === 'parked' && (await entry(id))?.lastError?.kind === kind

describe('sync engine in a shared world', () => {
  it('parks a data change for a user offboarded elsewhere, with that reason, and sends nothing', async () => {
    const user = await cachedUser()
    api.offboardElsewhere(user.id)
    const { entryId } = await enqueueDataChange(user.id, emailChange('late@example.com'), db)
    run()
    await waitUntil(() => parkedWith('not_active')(entryId), 5_000, 'the entry parked as not active')
    const parked = await entry(entryId)
    expect(parked?.lastError).toMatchObject({ userStatus: 'OFFBOARDED' })
    expect(parked?.lastError?.message).toMatch(/OFFBOARDED/)
    expect(api.calls.filter((c) => c === 'requestDataChange')).toHaveLength(0)
    // It blocks only its own lane and is never resent.
    const countBefore = api.calls.length
    await new Promise((r) => setTimeout(r, 300))
    expect(api.calls.length).toBe(countBefore)
  })

  it('a change sent while the user was offboarded meanwhile (409) is parked on the next read, not resent for ever', async () => {
    const user = await cachedUser()
    api = new FakeUsersApi({ settleMs: null })
    api.users.set(user.id, user)
    // Our first send is accepted and never confirmed; then the back office offboards the user.
    const { entryId } = await enqueueDataChange(user.id, emailChange('late@example.com'), db)
    run({ awaitTimeoutMs: 50 })
    await waitUntil(async () => (await entry(entryId))?.state === 'awaiting', 5_000, 'accepted')
    api.offboardElsewhere(user.id)
    await waitUntil(() => parkedWith('not_active')(entryId), 5_000, 'parked as not active')
    expect(api.calls.filter((c) => c === 'requestDataChange')).toHaveLength(1)
  })

  it('a change whose answer was lost is read back, not sent again: applied once (no idempotency on data changes)', async () => {
    const user = await cachedUser()
    api = new FakeUsersApi({ settleMs: 0 })
    api.users.set(user.id, user)
    // The send is applied and its answer lost.
    api.injectFaultFor('requestDataChange', 'timeout_after_commit')
    const { entryId } = await enqueueDataChange(user.id, emailChange('once@example.com'), db)
    // The retry comes after the server applied the change (no jitter below the ceiling).
    run({ backoff: { baseMs: 50, capMs: 100 }, random: () => 1 })
    await waitUntil(async () => (await entry(entryId)) === undefined, 5_000, 'the change settled')
    expect(api.users.get(user.id)?.email).toBe('once@example.com')
    expect(api.appliedChanges(user.id)).toBe(1)
  })

  it('a change in flight when the app died is read back after the restart and applied once', async () => {
    const user = await cachedUser()
    api = new FakeUsersApi({ settleMs: 0, latencyMs: 30 })
    api.users.set(user.id, user)
    const { entryId } = await enqueueDataChange(user.id, emailChange('crash@example.com'), db)
    const first = startEngine(db, api.transport())
    await waitUntil(() => api.calls.includes('requestDataChange'), 5_000, 'the send in the air')
    first.crash()
    await new Promise((r) => setTimeout(r, 60)) // the server applied it; the answer was lost with the app
    expect(api.appliedChanges(user.id)).toBe(1)
    run()
    await waitUntil(async () => (await entry(entryId)) === undefined, 5_000, 'the change settled')
    expect(api.appliedChanges(user.id)).toBe(1)
    expect(api.calls.filter((c) => c === 'requestDataChange')).toHaveLength(1)
  })

  it('a field changed elsewhere since the change was queued is a conflict: base, theirs and mine kept; sent only when the person says so', async () => {
    const user = await cachedUser()
    const { entryId } = await enqueueDataChange(user.id, emailChange('mine@example.com'), db)
    api.changeElsewhere(user.id, { email: 'theirs@example.com' })
    run()
    await waitUntil(() => parkedWith('conflict')(entryId), 5_000, 'parked as a conflict')
    expect((await entry(entryId))?.lastError?.conflicts).toEqual([
      { field: 'email', base: 'first@example.com', theirs: 'theirs@example.com', mine: 'mine@example.com' },
    ])
    expect(api.users.get(user.id)?.email).toBe('theirs@example.com')
    expect(api.calls.filter((c) => c === 'requestDataChange')).toHaveLength(0)

    await sendAnyway(entryId, db)
    await waitUntil(async () => (await entry(entryId)) === undefined, 5_000, 'sent anyway')
    expect(api.users.get(user.id)?.email).toBe('mine@example.com')
    expect((await getEntryHistory(entryId, db)).map((h) => h.detail)).toContain('sent anyway over the other change, as the user chose')
  })

  it('a change queued for a user not created yet conflicts with a back office that changes the field once the user exists', async () => {
    const { userKey } = await enqueueCreate(createBody(2), db)
    const { entryId } = await enqueueDataChange(userKey, emailChange('mine@example.com'), db)
    // The back office changes the new user's email right after the create lands, before the change goes out.
    const transport = api.transport()
    const engine = startEngine(db, {
      ...transport,
      createUser: async (input) => {
        const created = await transport.createUser(input)
        if (created.ok) api.changeElsewhere(created.value.id, { email: 'theirs@example.com' })
        return created
      },
    })
    engines.push(engine)
    await waitUntil(() => parkedWith('conflict')(entryId), 5_000, 'parked as a conflict')
    const [created] = [...api.users.values()]
    expect((await entry(entryId))?.lastError?.conflicts).toEqual([
      { field: 'email', base: null, theirs: 'theirs@example.com', mine: 'mine@example.com' },
    ])
    expect(created?.email).toBe('theirs@example.com')
    expect(api.calls.filter((c) => c === 'requestDataChange')).toHaveLength(0)
  })

  it('a change the server already shows (someone made the same change) is done without a request', async () => {
    const user = await cachedUser()
    const { entryId } = await enqueueDataChange(user.id, emailChange('same@example.com'), db)
    api.changeElsewhere(user.id, { email: 'same@example.com' })
    run()
    await waitUntil(async () => (await entry(entryId)) === undefined, 5_000, 'settled')
    expect(api.calls.filter((c) => c === 'requestDataChange')).toHaveLength(0)
  })

  it('an accepted change that never shows is parked as not confirmed once its deadline passes', async () => {
    const user = await cachedUser()
    api = new FakeUsersApi({ settleMs: null })
    api.users.set(user.id, user)
    const { entryId } = await enqueueDataChange(user.id, emailChange('limbo@example.com'), db)
    run({ awaitTimeoutMs: 30, confirmDeadlineMs: 300 })
    await waitUntil(() => parkedWith('not_confirmed')(entryId), 5_000, 'parked as not confirmed')
    // Rounds before the deadline asked again (409: still pending), never more than a handful.
    expect(api.calls.filter((c) => c === 'requestDataChange').length).toBeLessThan(15)
  })

  it('refused credentials pause the whole client after one request; it goes on when the person retries', async () => {
    for (let i = 0; i < 3; i++) await enqueueCreate(createBody(i), db)
    api.injectFaults('auth', 'auth')
    const engine = run({ concurrency: 1, markAhead: 0 })
    await waitUntil(() => engine.snapshot().phase === 'credentials', 5_000, 'the credentials pause')
    await new Promise((r) => setTimeout(r, 300))
    expect(api.calls).toHaveLength(1)
    expect(engine.snapshot().credentialsRejected).toMatch(/401/)
    const entries = await db.outbox.toArray()
    expect(entries.every((e) => e.state === 'queued')).toBe(true)
    expect(entries.map((e) => e.attempts).sort()).toEqual([0, 0, 1])

    // The person retries with the same credentials: refused again, one more request only.
    engine.retryNow()
    await waitUntil(() => api.calls.length === 2 && engine.snapshot().phase === 'credentials', 5_000, 'the second refusal')
    await new Promise((r) => setTimeout(r, 200))
    expect(api.calls).toHaveLength(2)

    // Settings fixed: everything goes.
    engine.retryNow()
    await waitUntil(() => api.users.size === 3, 5_000, 'every create sent')
    expect(engine.snapshot().credentialsRejected).toBeNull()
    expect(api.calls).toHaveLength(5)
  })

  it('parks an entry with the last error after the failure cap, and does not count offline attempts', async () => {
    const { entryId } = await enqueueCreate(createBody(1), db)
    api.injectFaults('network', 'network', 'network', 'server', 'server', 'server')
    run({ maxFailures: 3 })
    await waitUntil(() => parkedWith('gave_up')(entryId), 5_000, 'given up')
    expect((await entry(entryId))?.lastError?.message).toMatch(/gave up after 3 failed attempts: HTTP 503/)
    expect(api.calls).toHaveLength(6)
  })

  it('counts as attempts only the sends a server answered, not tries that found no network', async () => {
    const { entryId } = await enqueueCreate(createBody(1), db)
    api.injectFaults('network', 'network', 'network', 'network', 'server')
    run({ maxFailures: 3 })
    await waitUntil(async () => (await entry(entryId)) === undefined, 10_000, 'created')
    expect(api.calls).toHaveLength(6)
    // The history's last "sent" step is attempt 2: the 503 and the success, never the four tries offline.
    const steps = await getEntryHistory(entryId, db)
    const sent = steps.filter((s) => s.step === 'sent').map((s) => s.detail)
    expect(sent).toContain('attempt 2')
    expect(sent.filter((d) => /attempt ([3-9]|\d\d)/.test(d ?? ''))).toEqual([])
  })

  it('keeps the request rate under the cap, whatever the queue', async () => {
    for (let i = 0; i < 50; i++) await enqueueCreate(createBody(i), db)
    const started = Date.now()
    run({ ratePerSecond: 20, concurrency: 16 })
    await waitUntil(async () => (await db.outbox.count()) === 0, 10_000, 'drained')
    // The bucket starts empty: 50 requests at 20/s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400)
    const times = api.callTimes
    for (let i = 0; i < times.length; i++)
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length).toBeLessThanOrEqual(40)
  })

  it('an event that makes a queued change impossible parks it at once; an older event delivered late does not', async () => {
    const user = await cachedUser()
    api.online = false
    const engine = run()
    const { entryId } = await enqueueDataChange(user.id, emailChange('offline@example.com'), db)
    api.setActive(user.id, false)
    const deactivated = api.takeFeedBatch()
    api.setActive(user.id, true)
    const reactivated = api.takeFeedBatch()
    // Delivered out of order: the reactivation first, then the older deactivation.
    await engine.applyFeedBatch(reactivated)
    await engine.applyFeedBatch(deactivated)
    expect((await entry(entryId))?.state).toBe('queued')
    expect((await db.users.get(user.id))?.status).toBe('ACTIVE')

    api.offboardElsewhere(user.id)
    await engine.applyFeedBatch(api.takeFeedBatch())
    expect(await parkedWith('not_active')(entryId)).toBe(true)
    // A late USER.DATA_CHANGED with an ACTIVE copy never moves an offboarded user back.
    api.users.set(user.id, { ...api.users.get(user.id)!, status: 'ACTIVE' })
    api.changeElsewhere(user.id, { email: 'zombie@example.com' })
    await engine.applyFeedBatch(api.takeFeedBatch())
    expect((await db.users.get(user.id))?.status).toBe('OFFBOARDED')
  })
})
