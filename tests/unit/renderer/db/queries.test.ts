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
  USER_SORT_FIELDS,
  type UserListQuery,
} from '../../../../renderer/src/db/queries'
import type { UserRow } from '../../../../renderer/src/db/rows'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { searchWords } from '../../../../renderer/src/db/database'
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

/**
 * Search over enough users that a query takes each way to its page (few matches read
 * whole, a block of the sort index, scattered matches walked, a walk that gives up),
 * checked against the plain definition: every word prefix-matches a row word, the status
 * matches, sorted by the field then the key.
 */
describe('listUsers search against every row', () => {
  const LAST = ['Schmidt', 'Schneider', 'Schulz', 'Becker', 'Berger', 'Anders', 'Müller', 'Meyer', 'Zeller', 'Hahn']
  const FIRST = ['Anna', 'Anne-Marie', 'Bernd', 'Sabine', 'Schorsch', 'Hans', 'Mia', 'Ben']
  const CITY = ['Berlin', 'Hamburg', 'Schwerin', 'Bern', 'Aachen', 'München']
  const STATUS = ['ACTIVE', 'INACTIVE', 'OFFBOARDING'] as const
  const QUERIES = [
    'sch',
    'be',
    'an',
    'aa',
    'schmidt anna',
    'ber an',
    'Hamburg SCH',
    'mü',
    'bern',
    'marie',
    'zeller',
    'zz',
    'zo',
    'zoe',
    'zw',
  ]
  let all: UserRow[] = []

  beforeEach(async () => {
    let seed = 7
    const pick = <T>(list: readonly T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return list[seed % list.length]!
    }
    const users = Array.from({ length: 240 }, () =>
      serverUser({
        first_name: pick(FIRST),
        last_name: pick(LAST),
        status: pick(STATUS),
        // Few distinct times: ties are ordered by key.
        created_at: `2025-0${pick([1, 2, 3, 4, 5, 6, 7])}-01T00:00:00Z`,
        updated_at: `2026-01-0${pick([1, 2, 3, 4, 5])}T00:00:00Z`,
        address: { address_line1: 'A 1', postcode: '1', city: pick(CITY), country: 'DE' },
      }),
    )
    // A few matches, all at the end of every ascending order: a walk from the start gives up.
    const late = Array.from({ length: 10 }, (_, i) =>
      serverUser({
        first_name: 'Zoe',
        last_name: 'Zorn',
        created_at: '2025-12-31T00:00:00Z',
        updated_at: `2026-02-0${i % 3}T00:00:00Z`,
        address: { address_line1: 'A 1', postcode: '1', city: 'Zwickau', country: 'DE' },
      }),
    )
    await db.users.bulkPut([...users, ...late].map((u) => rowFromServerUser(u, 1, 0)))
    all = await db.users.toArray()
  })

  function expected(query: UserListQuery): UserRow[] {
    const words = searchWords([query.search])
    const sort = query.sort ?? 'name'
    const sign = query.order === 'desc' ? -1 : 1
    return all
      .filter((row) => query.status === undefined || row.status === query.status)
      .filter((row) => words.every((w) => row.words.some((rw) => rw.startsWith(w))))
      .sort((a, b) => sign * (a[sort] < b[sort] ? -1 : a[sort] > b[sort] ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }

  const keys = (rows: readonly { row: UserRow }[]) => rows.map((i) => i.row.key)

  it('gives the first page and the total of every query, sort, order and status', async () => {
    for (const search of QUERIES)
      for (const sort of USER_SORT_FIELDS)
        for (const order of ['asc', 'desc'] as const)
          for (const status of [undefined, 'INACTIVE'] as const) {
            const query = { search, sort, order, status }
            const want = expected(query)
            for (const limit of [5, 1000]) {
              const page = await listUsers({ ...query, limit }, db)
              expect({ query, limit, total: page.total, keys: keys(page.items) }).toEqual({
                query,
                limit,
                total: want.length,
                keys: want.slice(0, limit).map((r) => r.key),
              })
            }
          }
  })

  it('pages through all matches in sort order, both ways', async () => {
    for (const search of ['sch', 'an', 'aa', 'ber an'])
      for (const sort of USER_SORT_FIELDS)
        for (const order of ['asc', 'desc'] as const) {
          const want = expected({ search, sort, order }).map((r) => r.key)
          const seen: string[] = []
          for (let offset = 0; offset < want.length; offset += 25) {
            const page = await listUsers({ search, sort, order, offset, limit: 25 }, db)
            expect(page.total).toBe(want.length)
            seen.push(...keys(page.items))
          }
          expect({ search, sort, order, seen }).toEqual({ search, sort, order, seen: want })
        }
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
    expect(groups).toEqual([{ userKey: row.key, name: 'meyer carla', person: { first_name: 'Carla', last_name: 'Meyer' }, entries: detail?.entries }])
    expect((await getUserHistory(row.key, db)).map((h) => h.step)).toEqual(['queued', 'queued'])
    expect((await getEntryHistory(detail!.entries[0]!.id, db)).map((h) => h.step)).toEqual(['queued'])
  })

  it('answers undefined for an unknown user and a default overview', async () => {
    expect(await getUser('nope', db)).toBeUndefined()
    expect((await getSyncOverview(db)).status.phase).toBe('idle')
  })
})
