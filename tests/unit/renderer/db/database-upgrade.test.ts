import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { openDatabase, SCHEMA_V1 } from '../../../../renderer/src/db/database'
import { createBody, emailChange } from '../../../support/sync/fixtures'

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
    // New indexes work on old rows.
    expect(await db.users.where('words').startsWith('munich').count()).toBe(1)
    expect(await db.outbox.where('[userKey+seq]').between(['local-1', Dexie.minKey], ['local-1', Dexie.maxKey]).count()).toBe(3)
    expect((await db.syncState.get('cursor'))?.value).toBe('c-42')
    db.close()
  })
})
