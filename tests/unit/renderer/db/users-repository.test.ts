import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { enqueueDataChange } from '../../../../renderer/src/db/outbox-repository'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import {
  markOffboarding,
  putDraft,
  putReconcilePage,
  rekeyToServer,
  removeLocal,
  removeUnseen,
  unseenServerKeys,
  upsertFromServer,
} from '../../../../renderer/src/db/users-repository'
import { createBody, emailChange, freshDb, serverUser } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('users-repo')
})
afterEach(() => db.close())

const rw = <T>(fn: () => Promise<T>) => db.transaction('rw', [db.users, db.outbox, db.history], fn)

describe('users repository', () => {
  it('server truth never moves a row backwards', async () => {
    const newer = serverUser({ updated_at: '2026-02-01T00:00:00Z', email: 'new@example.com' })
    await rw(() => upsertFromServer(db, newer, 5))
    await rw(() => upsertFromServer(db, { ...newer, updated_at: '2026-01-15T00:00:00Z', email: 'old@example.com' }, 6))
    expect((await db.users.get(newer.id))?.user?.email).toBe('new@example.com')
    expect((await db.users.get(newer.id))?.touchedAt).toBe(5)
  })

  it('a reconcile page keeps a newer copy an event brought, but marks it seen by the run', async () => {
    const fromEvent = serverUser({ updated_at: '2026-03-01T00:00:00Z', last_name: 'FromEvent' })
    await db.users.put(rowFromServerUser(fromEvent, 0, 100))
    const other = serverUser()
    await rw(() => putReconcilePage(db, [{ ...fromEvent, updated_at: '2026-01-01T00:00:00Z', last_name: 'Stale' }, other], 7))
    expect(await db.users.get(fromEvent.id)).toMatchObject({ seenRun: 7, touchedAt: 100, user: { last_name: 'FromEvent' } })
    expect(await db.users.get(other.id)).toMatchObject({ seenRun: 7 })
  })

  it('the sweep removes unseen server rows, but not local drafts, rows touched since the run began, or users with pending entries', async () => {
    const gone = serverUser()
    const touched = serverUser()
    const pending = serverUser()
    await db.users.bulkPut([rowFromServerUser(gone, 1, 0), rowFromServerUser(touched, 1, 500), rowFromServerUser(pending, 1, 0)])
    await rw(() => putDraft(db, 'local-x', createBody(1), 0))
    await enqueueDataChange(pending.id, emailChange('p@example.com'), db)
    const keys = await unseenServerKeys(db, 2)
    expect(keys.sort()).toEqual([gone.id, touched.id, pending.id].sort())
    expect(await rw(() => removeUnseen(db, keys, 2, 400))).toBe(1)
    expect(await db.users.get(gone.id)).toBeUndefined()
    expect(await db.users.count()).toBe(3)
  })

  it('a create answered replaces the draft under the server id; an offboarding accepted shows OFFBOARDING', async () => {
    await rw(() => putDraft(db, 'local-1', createBody(1), 0))
    const user = serverUser({ first_name: 'Anna1' })
    await rw(() => rekeyToServer(db, 'local-1', user, 9, undefined))
    expect(await db.users.get('local-1')).toBeUndefined()
    expect(await db.users.get(user.id)).toMatchObject({ status: 'ACTIVE', serverId: user.id })
    await rw(() => markOffboarding(db, user.id, 10))
    expect(await db.users.get(user.id)).toMatchObject({ status: 'OFFBOARDING', user: { status: 'OFFBOARDING' } })
    // A server row is never removed as if it were local.
    await rw(() => removeLocal(db, user.id))
    expect(await db.users.get(user.id)).toBeDefined()
  })

  it('editing a draft keeps when the row was created', async () => {
    await rw(() => putDraft(db, 'local-2', createBody(1), Date.parse('2026-01-01T00:00:00Z')))
    await rw(() => putDraft(db, 'local-2', createBody(2), Date.parse('2026-05-01T00:00:00Z')))
    expect(await db.users.get('local-2')).toMatchObject({ created_at: '2026-01-01T00:00:00.000Z', name: 'schmidt2 anna2' })
  })
})
