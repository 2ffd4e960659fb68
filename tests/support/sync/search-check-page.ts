/**
 * The browser half of tests/e2e/web/search-100k.spec.ts, bundled with esbuild: fills a real IndexedDB
 * with 100,000 users through the users repository (as a reconcile does), then answers list
 * queries with the app's listUsers and with the plain definition (filter every row, sort by
 * the field then the key), for the spec to compare.
 */
import Dexie from 'dexie'
import { openDatabase, searchWords, type OutpostDb } from '../../../renderer/src/db/database'
import { listUsers, type UserListQuery } from '../../../renderer/src/db/queries'
import type { UserRow } from '../../../renderer/src/db/rows'
import { loadUserIndex } from '../../../renderer/src/db/user-index'
import { putReconcilePage } from '../../../renderer/src/db/users-repository'
import { serverUser } from './fixtures'

const LAST = ['Schmidt', 'Schneider', 'Schulz', 'Becker', 'Berger', 'Anders', 'Müller', 'Meyer', 'Zeller', 'Hahn', 'Weber', 'Wagner']
const FIRST = ['Anna', 'Anne-Marie', 'Bernd', 'Sabine', 'Schorsch', 'Hans', 'Mia', 'Ben', 'Lena', 'Paul']
const CITY = ['Berlin', 'Hamburg', 'Schwerin', 'Bern', 'Aachen', 'München', 'Köln', 'Bremen']
const STATUS = ['ACTIVE', 'INACTIVE', 'OFFBOARDING', 'OFFBOARDED'] as const

let db: OutpostDb | null = null
let all: UserRow[] = []

async function fill(count: number): Promise<number> {
  await Dexie.delete('search-100k')
  db = openDatabase('search-100k')
  await db.open()
  await loadUserIndex(db)
  let seed = 11
  // 32-bit arithmetic (Math.imul): a plain product would lose bits beyond 2^53.
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0)
  const pick = <T>(list: readonly T[]): T => list[next() % list.length]!
  for (let start = 0; start < count; start += 1000) {
    const users = Array.from({ length: Math.min(1000, count - start) }, () =>
      serverUser({
        id: `${next().toString(16).padStart(8, '0').slice(-8)}-0000-4000-8000-${next().toString(16).padStart(12, '0').slice(-12)}`,
        first_name: pick(FIRST),
        last_name: pick(LAST),
        status: pick(STATUS),
        // Few distinct times: ties are ordered by key.
        created_at: `2025-0${1 + (next() % 9)}-01T00:00:00Z`,
        updated_at: `2026-01-0${1 + (next() % 9)}T00:00:00Z`,
        address: { address_line1: 'A 1', postcode: '1', city: pick(CITY), country: 'DE' },
      }),
    )
    const target = db
    await target.transaction('rw', target.users, () => putReconcilePage(target, users, 1))
  }
  all = await db.users.toArray()
  return all.length
}

/** The app's answer and the plain one: keys of the page and the total. */
async function compare(
  query: UserListQuery,
): Promise<{ app: { keys: string[]; total: number }; plain: { keys: string[]; total: number } }> {
  if (db === null) throw new Error('fill first')
  const page = await listUsers(query, db)
  const words = searchWords([query.search])
  const sort = query.sort ?? 'name'
  const sign = query.order === 'desc' ? -1 : 1
  const matches = all
    .filter((row) => query.status === undefined || row.status === query.status)
    .filter((row) => words.every((w) => row.words.some((rw) => rw.startsWith(w))))
    .sort((a, b) => sign * (a[sort] < b[sort] ? -1 : a[sort] > b[sort] ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const offset = query.offset ?? 0
  return {
    app: { keys: page.items.map((i) => i.row.key), total: page.total },
    plain: { keys: matches.slice(offset, offset + (query.limit ?? 50)).map((r) => r.key), total: matches.length },
  }
}

;(globalThis as unknown as { searchCheck: unknown }).searchCheck = { fill, compare, someKey: () => all[4321]?.key }
