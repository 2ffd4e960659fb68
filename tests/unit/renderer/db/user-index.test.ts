import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type OutpostDb } from '../../../../renderer/src/db/database'
import { discardEntry, enqueueCreate } from '../../../../renderer/src/db/outbox-repository'
import { listUsers } from '../../../../renderer/src/db/queries'
import { loadUserIndex, onUserIndexChange } from '../../../../renderer/src/db/user-index'
import { markOffboarding, putReconcilePage, upsertFromServer } from '../../../../renderer/src/db/users-repository'
import { createBody, freshDb, serverUser, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('user-index')
})
afterEach(() => db.close())

const names = async (query: Parameters<typeof listUsers>[0]) => (await listUsers(query, db)).items.map((i) => i.row.name)

describe('the in-memory user index follows the users repository', () => {
  it('shows committed writes in search, sort, status and totals, and announces them', async () => {
    await loadUserIndex(db)
    let announced = 0
    onUserIndexChange(db, () => (announced += 1))
    const { userKey, entryId } = await enqueueCreate(createBody(1, { first_name: 'Ottilie', last_name: 'Quast' }), db)
    expect(await names({ search: 'otti' })).toEqual(['quast ottilie'])
    const server = serverUser({ first_name: 'Berta', last_name: 'Adam', status: 'ACTIVE' })
    await db.transaction('rw', db.users, () => putReconcilePage(db, [server], 1))
    expect(await names({ sort: 'name' })).toEqual(['adam berta', 'quast ottilie'])
    await db.transaction('rw', db.users, () => markOffboarding(db, server.id, 5))
    expect((await listUsers({ status: 'OFFBOARDING' }, db)).total).toBe(1)
    expect((await listUsers({ status: 'ACTIVE' }, db)).total).toBe(0)
    await upsertFromServer(db, { ...server, last_name: 'Zander', status: 'OFFBOARDED', updated_at: '2100-01-01T00:00:00Z' }, 6)
    expect(await names({ sort: 'name' })).toEqual(['quast ottilie', 'zander berta'])
    expect(await names({ search: 'adam' })).toEqual([])
    await discardEntry(entryId, 'test', db)
    expect(await db.users.get(userKey)).toBeUndefined()
    expect((await listUsers({}, db)).total).toBe(1)
    expect(announced).toBeGreaterThanOrEqual(4)
  })

  it("follows another window's writes to the same database (web host tabs)", async () => {
    const otherWindow = openDatabase(db.name)
    try {
      await loadUserIndex(db)
      await loadUserIndex(otherWindow)
      const server = serverUser({ first_name: 'Tabea', last_name: 'Zweitfenster' })
      await upsertFromServer(otherWindow, server, 1)
      await waitUntil(async () => (await listUsers({ search: 'zweit' }, db)).total === 1, 5_000, 'the other window’s user')
      expect(await names({ search: 'zweit' })).toEqual(['zweitfenster tabea'])
    } finally {
      otherWindow.close()
    }
  })

  it('never shows a write whose transaction was rolled back', async () => {
    await loadUserIndex(db)
    const server = serverUser({ first_name: 'Rolf', last_name: 'Rollback' })
    await expect(
      db.transaction('rw', db.users, async () => {
        await putReconcilePage(db, [server], 1)
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect((await listUsers({ search: 'rollback' }, db)).total).toBe(0)
    expect((await listUsers({}, db)).total).toBe(0)
  })

  it('applies writes made while it was being built', async () => {
    await db.users.bulkPut([])
    for (let i = 0; i < 30; i++) await upsertFromServer(db, serverUser({ last_name: `Early${i}` }), 1)
    const building = loadUserIndex(db)
    await upsertFromServer(db, serverUser({ last_name: 'Meanwhile' }), 2)
    await building
    expect((await listUsers({ search: 'meanwhile' }, db)).total).toBe(1)
    expect((await listUsers({}, db)).total).toBe(31)
  })
})
