import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { enqueueCreate, enqueueDataChange, enqueueOffboard } from '../../../../renderer/src/db/outbox-repository'
import {
  getEntryHistory,
  getOutboxCounts,
  getSyncOverview,
  getUser,
  getUserBadge,
  getUserHistory,
  listOutboxByUser,
  listUsers,
} from '../../../../renderer/src/db/queries'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { createBody, emailChange, freshDb, serverUser } from '../../../support/sync/fixtures'

let db: OutpostDb

beforeEach(async () => {
  db = freshDb('queries')
  const rows = [
    serverUser({
      first_name: 'Anne-Marie',
      last_name: 'Zeller',
      status: 'ACTIVE',
      updated_at: '2026-01-03T00:00:00Z',
      address: { address_line1: 'A 1', postcode: '1', city: 'Hamburg', country: 'DE' },
    }),
    serverUser({
      first_name: 'Bernd',
      last_name: 'Adler',
      status: 'INACTIVE',
      updated_at: '2026-01-01T00:00:00Z',
      address: { address_line1: 'A 1', postcode: '1', city: 'Berlin', country: 'DE' },
    }),
    serverUser({
      first_name: 'Carla',
      last_name: 'Meyer',
      status: 'ACTIVE',
      updated_at: '2026-01-02T00:00:00Z',
      address: { address_line1: 'A 1', postcode: '1', city: 'Berlin', country: 'DE' },
    }),
  ]
  await db.users.bulkPut(rows.map((u) => rowFromServerUser(u, 1, 0)))
})
afterEach(() => db.close())

describe('listUsers', () => {
  it('sorts by name and paginates with a total', async () => {
    const page = await listUsers({ sort: 'name', limit: 2 }, db)
    expect(page.total).toBe(3)
    expect(page.items.map((i) => i.row.name)).toEqual(['adler bernd', 'meyer carla'])
    const next = await listUsers({ sort: 'name', offset: 2, limit: 2 }, db)
    expect(next.items.map((i) => i.row.name)).toEqual(['zeller anne-marie'])
  })

  it('sorts descending by updated_at and filters by status', async () => {
    const page = await listUsers({ sort: 'updated_at', order: 'desc', status: 'ACTIVE' }, db)
    expect(page.total).toBe(2)
    expect(page.items.map((i) => i.row.name)).toEqual(['zeller anne-marie', 'meyer carla'])
  })

  it('searches word prefixes of name, city and id; every word must match', async () => {
    expect((await listUsers({ search: 'ber' }, db)).items.map((i) => i.row.name)).toEqual(['adler bernd', 'meyer carla'])
    expect((await listUsers({ search: 'Berlin me' }, db)).items.map((i) => i.row.name)).toEqual(['meyer carla'])
    expect((await listUsers({ search: 'marie' }, db)).total).toBe(1)
    const someone = (await listUsers({}, db)).items[0]!.row
    expect((await listUsers({ search: someone.key.slice(0, 13) }, db)).items.map((i) => i.row.key)).toContain(someone.key)
    expect((await listUsers({ search: 'nobody' }, db)).total).toBe(0)
  })

  it('includes local drafts and each row’s badge', async () => {
    const { userKey } = await enqueueCreate(createBody(7), db)
    await enqueueDataChange(userKey, emailChange('x@y.de'), db)
    const page = await listUsers({ search: 'anna7' }, db)
    expect(page.items).toHaveLength(1)
    expect(page.items[0]!.row.status).toBe('CREATING')
    expect(page.items[0]!.badge).toEqual({ pending: 2, failed: 0 })
  })
})

describe('getUser and the outbox views', () => {
  it('lays pending fields over server truth', async () => {
    const row = (await listUsers({ search: 'carla' }, db)).items[0]!.row
    await enqueueDataChange(row.key, emailChange('carla@example.com'), db)
    await enqueueOffboard(row.key, db)
    const detail = await getUser(row.key, db)
    expect(detail?.view.email).toBe('carla@example.com')
    expect(detail?.view.status).toBe('OFFBOARDING')
    expect(detail?.view.first_name).toBe('Carla')
    expect(Object.keys(detail?.pendingFields ?? {}).sort()).toEqual(['email', 'status'])
    expect(detail?.entries.map((e) => e.kind)).toEqual(['dataChange', 'offboard'])
    expect(await getUserBadge(row.key, db)).toEqual({ pending: 2, failed: 0 })
    expect(await getOutboxCounts(db)).toEqual({ pending: 2, failed: 0, awaiting: 0, total: 2 })
    const groups = await listOutboxByUser(db)
    expect(groups).toEqual([{ userKey: row.key, name: 'meyer carla', entries: detail?.entries }])
    expect((await getUserHistory(row.key, db)).map((h) => h.step)).toEqual(['queued', 'queued'])
    expect((await getEntryHistory(detail!.entries[0]!.id, db)).map((h) => h.step)).toEqual(['queued'])
  })

  it('answers undefined for an unknown user and a default overview', async () => {
    expect(await getUser('nope', db)).toBeUndefined()
    expect((await getSyncOverview(db)).status.phase).toBe('idle')
  })
})
