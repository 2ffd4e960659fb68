import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { listUsers } from '../../../../renderer/src/db/queries'
import { readSyncState } from '../../../../renderer/src/db/sync-state'
import { createReconcileScheduler } from '../../../../renderer/src/sync/reconcile-scheduler'
import { createSendGate } from '../../../../renderer/src/sync/send-gate'
import { FakeUsersApi } from '../../../support/sync/fake-users-api'
import { createBody, freshDb } from '../../../support/sync/fixtures'

const DAY = 24 * 60 * 60_000
let db: OutpostDb
let api: FakeUsersApi
let clock: number
beforeEach(async () => {
  db = freshDb('changes')
  api = new FakeUsersApi()
  clock = 1_000_000
  for (let i = 0; i < 250; i++) await api.createUser(createBody(i), `k${i}`)
})
afterEach(() => db.close())

function scheduler() {
  return createReconcileScheduler({
    db,
    transport: api.transport(),
    gate: createSendGate(() => clock),
    now: () => clock,
    isStopped: () => false,
    onChange: () => undefined,
    pageSize: 100,
  })
}
const listCalls = () => api.calls.filter((c) => c === 'listUsers').length

describe('a later reconcile reads only what changed', () => {
  it('reads the changed users newest first in one request, and moves its mark', async () => {
    const reconciler = scheduler()
    expect(await reconciler.run()).toMatchObject({ ok: true, kind: 'full', fetched: 250 })
    const [a, b] = [...api.users.values()]
    api.changeElsewhere(a!.id, { last_name: 'Changedname' })
    api.changeElsewhere(b!.id, { last_name: 'Otherchange' })
    await api.createUser(createBody(900), 'k900')
    const before = listCalls()
    clock += 60_000
    const result = await reconciler.run()
    expect(result).toMatchObject({ ok: true, kind: 'changes', requests: 1, removed: 0 })
    expect(listCalls() - before).toBe(1)
    expect((await listUsers({ search: 'changedname' }, db)).items.map((i) => i.row.key)).toEqual([a!.id])
    expect((await listUsers({ search: 'otherchange' }, db)).total).toBe(1)
    expect((await listUsers({}, db)).total).toBe(251)
    const newest = [...api.users.values()]
      .map((u) => u.updated_at)
      .sort()
      .at(-1)
    expect(await readSyncState(db, 'reconcileMark')).toEqual({ updatedAt: newest, at: clock })
  })

  it('reads again the users changed exactly at the mark (equal timestamps overlap)', async () => {
    const reconciler = scheduler()
    await reconciler.run()
    const mark = (await readSyncState(db, 'reconcileMark'))!.updatedAt
    // Changed at the very time the mark holds, after the mark was read.
    const user = [...api.users.values()][5]!
    api.users.set(user.id, { ...user, last_name: 'Sametime', updated_at: mark })
    clock += 60_000
    expect(await reconciler.run()).toMatchObject({ ok: true, kind: 'changes' })
    expect((await listUsers({ search: 'sametime' }, db)).items.map((i) => i.row.key)).toEqual([user.id])
  })

  it('pages down while every user of a page changed, and stops at the first page reaching the mark', async () => {
    const reconciler = scheduler()
    await reconciler.run()
    const users = [...api.users.values()]
    for (const user of users.slice(0, 150)) api.changeElsewhere(user.id, { birth_city: 'Elsewhere' })
    const before = listCalls()
    clock += 60_000
    // 150 changed, and the user the mark came from (read again: equal timestamps overlap).
    expect(await reconciler.run()).toMatchObject({ ok: true, kind: 'changes', fetched: 151, requests: 2 })
    expect(listCalls() - before).toBe(2)
    const rows = await db.users.bulkGet(users.slice(0, 150).map((u) => u.id))
    expect(rows.every((row) => row?.user?.birth_city === 'Elsewhere')).toBe(true)
  })

  it('runs a full reconcile when the last one is a day old, which removes users the server no longer has', async () => {
    const reconciler = scheduler()
    await reconciler.run()
    const gone = [...api.users.values()][7]!
    api.users.delete(gone.id)
    clock += 60_000
    expect(await reconciler.run()).toMatchObject({ ok: true, kind: 'changes', removed: 0 })
    expect(await db.users.get(gone.id)).toBeDefined()
    clock += DAY
    expect(await reconciler.run()).toMatchObject({ ok: true, kind: 'full', removed: 1 })
    expect(await db.users.get(gone.id)).toBeUndefined()
    expect((await listUsers({}, db)).total).toBe(249)
    expect(await readSyncState(db, 'lastFullReconcile')).toBe(clock)
  })
})
