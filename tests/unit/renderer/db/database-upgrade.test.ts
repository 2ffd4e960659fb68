import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { openDatabase, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 } from '../../../../renderer/src/db/database'
import { listUsers } from '../../../../renderer/src/db/queries'
import { readSyncState } from '../../../../renderer/src/db/sync-state'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { runFullReconcile } from '../../../../renderer/src/sync/reconcile'
import { FakeUsersApi } from '../../../support/sync/fake-users-api'
import { createBody, emailChange, serverUser } from '../../../support/sync/fixtures'

/** Writes a database exactly as app version 1 did (its schema, its row shapes). */
async function writeVersion1(name: string): Promise<void> {
  const old = new Dexie(name)
  old.version(1).stores(SCHEMA_V1)
  await old.open()
  await old.table('users').bulkAdd([
    {
      key: 'local-1',
      serverId: null,
      user: null,
      draft: createBody(1),
      name: 'schmidt1 anna1',
      status: 'CREATING',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      city: 'berlin',
    },
    {
      key: 'aaaaaaaa-0000-4000-8000-000000000001',
      serverId: 'aaaaaaaa-0000-4000-8000-000000000001',
      user: null,
      draft: null,
      name: 'lang eva',
      status: 'ACTIVE',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      city: 'munich',
    },
  ])
  const base = { state: 'queued', attempts: 2, nextAttemptAt: 5, lastError: null, createdAt: 1, updatedAt: 1 }
  await old.table('outbox').bulkAdd([
    { ...base, id: 'e1', userKey: 'local-1', idempotencyKey: 'k1', kind: 'create', payload: { body: createBody(1) } },
    { ...base, id: 'e2', userKey: 'local-1', idempotencyKey: 'k2', kind: 'dataChange', payload: { change: emailChange('a@b.de') } },
    { ...base, id: 'e3', userKey: 'aaaaaaaa-0000-4000-8000-000000000001', idempotencyKey: 'k3', kind: 'offboard', payload: {} },
    // A row an old bug left half-written: kept and parked, never dropped.
    {
      id: 'e4',
      userKey: 'local-1',
      idempotencyKey: 'k4',
      kind: 'create',
      payload: { body: { first_name: 'X' } },
      state: 'queued',
      createdAt: 1,
      updatedAt: 1,
    },
  ])
  await old.table('syncState').put({ key: 'cursor', value: 'c-42' })
  old.close()
}

describe('database upgrade', () => {
  it('opens a version 1 database with every outbox entry intact', async () => {
    const name = `upgrade-${Math.random()}`
    await writeVersion1(name)
    const db = openDatabase(name)
    await db.open()
    expect(db.verno).toBe(3)
    // Version 3 adds the proof files of queued data changes; an upgraded database has none.
    expect(await db.proofFiles.count()).toBe(0)
    const entries = await db.outbox.orderBy('seq').toArray()
    expect(entries.map((e) => [e.id, e.kind, e.userKey, e.idempotencyKey])).toEqual([
      ['e1', 'create', 'local-1', 'k1'],
      ['e2', 'dataChange', 'local-1', 'k2'],
      ['e3', 'offboard', 'aaaaaaaa-0000-4000-8000-000000000001', 'k3'],
      ['e4', 'create', 'local-1', 'k4'],
    ])
    expect(entries[0]).toMatchObject({ state: 'queued', attempts: 2, nextAttemptAt: 5, firstSentAt: null, acceptedAt: null })
    expect(entries[1]!.kind === 'dataChange' && entries[1]!.payload.change).toEqual(emailChange('a@b.de'))
    expect(entries[3]!.state).toBe('parked')
    // The list and its search work on old rows.
    expect((await listUsers({ search: 'munich' }, db)).items.map((i) => i.row.key)).toEqual(['aaaaaaaa-0000-4000-8000-000000000001'])
    expect((await listUsers({}, db)).total).toBe(2)
    expect(await db.outbox.where('[userKey+seq]').between(['local-1', Dexie.minKey], ['local-1', Dexie.maxKey]).count()).toBe(3)
    expect((await db.syncState.get('cursor'))?.value).toBe('c-42')
    db.close()
  })

  it('opens a version 2 database with unsent outbox entries exactly as they were, and drops the unused indexes', async () => {
    const name = `upgrade-v2-${Math.random()}`
    const old = new Dexie(name)
    old.version(1).stores(SCHEMA_V1)
    old.version(2).stores(SCHEMA_V2)
    await old.open()
    const draft = {
      key: 'local-2',
      serverId: null,
      user: null,
      draft: createBody(2),
      name: 'schmidt2 anna2',
      status: 'CREATING',
      created_at: '2026-01-02T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
      city: 'berlin',
      words: ['anna2', 'schmidt2', 'berlin'],
      seenRun: 0,
      touchedAt: 9,
    }
    await old.table('users').put(draft)
    const entry = (id: string, state: string, kind: string, payload: unknown) => ({
      id,
      userKey: 'local-2',
      idempotencyKey: `key-${id}`,
      kind,
      payload,
      state,
      attempts: 1,
      nextAttemptAt: 7,
      lastError: state === 'parked' ? { message: 'refused', fieldErrors: [], problem: null } : null,
      createdAt: 3,
      updatedAt: 4,
      firstSentAt: null,
      acceptedAt: null,
      base: undefined,
    })
    await old
      .table('outbox')
      .bulkAdd([
        entry('q1', 'queued', 'create', { body: createBody(2) }),
        entry('q2', 'queued', 'dataChange', { change: emailChange('z@y.de') }),
        entry('p1', 'parked', 'offboard', {}),
      ])
    await old.table('history').add({ entryId: 'q1', userKey: 'local-2', step: 'queued', at: 3, detail: null })
    await old.table('syncState').put({ key: 'cursor', value: 'c-7' })
    const outboxBefore = await old.table('outbox').orderBy('seq').toArray()
    old.close()

    const db = openDatabase(name)
    await db.open()
    expect(db.verno).toBe(3)
    expect(await db.outbox.orderBy('seq').toArray()).toEqual(outboxBefore)
    expect(await db.history.where('entryId').equals('q1').count()).toBe(1)
    expect((await db.syncState.get('cursor'))?.value).toBe('c-7')
    expect(await db.users.get('local-2')).toEqual(draft)
    expect((await listUsers({ search: 'schmidt2' }, db)).items.map((i) => [i.row.key, i.badge])).toEqual([
      ['local-2', { pending: 2, failed: 1 }],
    ])
    // Only what something queries is indexed.
    const indexes = (table: string) =>
      db.tables
        .find((t) => t.name === table)!
        .schema.indexes.map((i) => i.name)
        .sort()
    expect(indexes('users')).toEqual(['name'])
    expect(indexes('history')).toEqual(['entryId', 'userKey'])
    expect(db.tables.map((t) => t.name)).toContain('proofFiles')
    expect(SCHEMA_V3.proofFiles).toBe('&entryId')
    // The upgraded database starts with no saved index: the list is served from the table.
    expect(await db.indexSnapshots.count()).toBe(0)
    db.close()
  })

  it('finishes a first reconcile that a version 2 database was in the middle of, keeping its outbox', async () => {
    const name = `upgrade-mid-${Math.random()}`
    const api = new FakeUsersApi()
    for (let i = 0; i < 30; i++) await api.createUser(createBody(i), `k${i}`)
    const onServer = [...api.users.values()]
    const old = new Dexie(name)
    old.version(1).stores(SCHEMA_V1)
    old.version(2).stores(SCHEMA_V2)
    await old.open()
    // Run 1 wrote the first 10 users, then the app was closed.
    await old.table('users').bulkPut(onServer.slice(0, 10).map((u) => rowFromServerUser(u, 1, 0)))
    // A user the server no longer has, from before: the finished run removes it.
    await old.table('users').put(rowFromServerUser(serverUser({ first_name: 'Gone' }), 0, 0))
    await old.table('syncState').put({ key: 'reconcile', value: { run: 1, startedAt: 1, fetched: 10, total: 30, done: false } })
    const pendingEntry = {
      id: 'd1',
      userKey: onServer[3]!.id,
      idempotencyKey: 'key-d1',
      kind: 'dataChange',
      payload: { change: emailChange('mid@way.de') },
      state: 'queued',
      attempts: 0,
      nextAttemptAt: 0,
      lastError: null,
      createdAt: 1,
      updatedAt: 1,
      firstSentAt: null,
      acceptedAt: null,
    }
    await old.table('outbox').add(pendingEntry)
    const outboxBefore = await old.table('outbox').toArray()
    old.close()

    const db = openDatabase(name)
    await db.open()
    const result = await runFullReconcile(db, api.transport(), { pageSize: 8, now: () => 50 })
    expect(result).toMatchObject({ ok: true, fetched: 30, removed: 1 })
    expect(await db.users.count()).toBe(30)
    expect((await listUsers({ limit: 100 }, db)).items.map((i) => i.row.key).sort()).toEqual(onServer.map((u) => u.id).sort())
    expect(await db.outbox.toArray()).toEqual(outboxBefore)
    expect(await readSyncState(db, 'reconcile')).toMatchObject({ run: 2, fetched: 30, done: true })
    expect(await readSyncState(db, 'reconcileMark')).toEqual({
      updatedAt: onServer
        .map((u) => u.updated_at)
        .sort()
        .at(-1),
      at: 50,
    })
    db.close()
  })
})
