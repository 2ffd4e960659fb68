/**
 * The user list's read: one page of users, sorted, filtered by status and searched by word
 * prefixes, with each row's pending/failed badge. Reads only (safe in a liveQuery). Which
 * keys a page holds and the exact total come from the in-memory index (user-index.ts); only
 * the page's rows are read from IndexedDB. The saved snapshot of the index answers until the
 * index is built; with neither, the plain first view
 * (by name, no filter) is read from the `name` index so a start shows rows at once, and
 * other queries wait for the build.
 */
import { getDatabase, searchWords, type OutpostDb } from './database'
import { badgesByUser, NO_BADGE, type UserBadge } from './outbox-rules'
import type { RowStatus, UserRow } from './rows'
import { beginListRead, knownUserCount, servingUserIndex, usableUserIndex } from './user-index'
import { INDEX_SORT_FIELDS } from './user-search-index'

export const USER_SORT_FIELDS = INDEX_SORT_FIELDS
export type UserSortField = (typeof USER_SORT_FIELDS)[number]

export interface UserListQuery {
  readonly sort?: UserSortField
  readonly order?: 'asc' | 'desc'
  readonly status?: RowStatus
  /** Words matched by prefix against name, city and id; every word must match. */
  readonly search?: string
  readonly offset?: number
  readonly limit?: number
}

export interface UserListItem {
  readonly row: UserRow
  readonly badge: UserBadge
}

export interface UserListPage {
  readonly items: readonly UserListItem[]
  /** How many rows match the query in all (for the pager). */
  readonly total: number
}

export const DEFAULT_LIST_LIMIT = 50

/** One page of the user list, sorted, filtered and searched, with each row's badge. */
export async function listUsers(query: UserListQuery = {}, db: OutpostDb = getDatabase()): Promise<UserListPage> {
  const sort = query.sort ?? 'name'
  const desc = query.order === 'desc'
  const offset = query.offset ?? 0
  const limit = query.limit ?? DEFAULT_LIST_LIMIT
  const words = query.search === undefined ? [] : searchWords([query.search])

  // The plain view does not wait for the snapshot: reading and restoring it at 100,000 users
  // takes longer than the name index's page and a count (measured in bench/ui.bench.ts).
  let index = servingUserIndex(db)
  if (index === null && sort === 'name' && query.status === undefined && words.length === 0) {
    return withBadges(db, await browseByName(db, desc, offset, limit))
  }
  index ??= await usableUserIndex(db)
  const page = index.page({ sort, desc, status: query.status, words, offset, limit })
  const endRead = beginListRead(db)
  try {
    // The index knows the keys: rows and badges are read side by side, not one after the other.
    const [found, badges] = await Promise.all([db.users.bulkGet(page.keys), badgesFor(db, page.keys)])
    // A snapshot may name a user removed since it was saved: such a key is skipped, never shown blank.
    const rows = found.filter((row): row is UserRow => row !== undefined)
    return pageWith(rows, page.total, badges)
  } finally {
    endRead()
  }
}

/**
 * The first view before the index is there: the `name` index gives the page; the total is
 * known from the current snapshot's marker, else counted (counting 100,000 rows takes longer
 * than reading the page).
 */
async function browseByName(db: OutpostDb, desc: boolean, offset: number, limit: number): Promise<{ rows: UserRow[]; total: number }> {
  const ordered = db.users.orderBy('name')
  const known = knownUserCount(db)
  const [total, rows] = await Promise.all([
    known ?? db.users.count(),
    (desc ? ordered.reverse() : ordered).offset(offset).limit(limit).toArray(),
  ])
  return { rows, total }
}

async function withBadges(db: OutpostDb, { rows, total }: { rows: UserRow[]; total: number }): Promise<UserListPage> {
  const badges = await badgesFor(
    db,
    rows.map((r) => r.key),
  )
  return pageWith(rows, total, badges)
}

function pageWith(rows: readonly UserRow[], total: number, badges: ReadonlyMap<string, UserBadge>): UserListPage {
  return { total, items: rows.map((row) => ({ row, badge: badges.get(row.key) ?? NO_BADGE })) }
}

async function badgesFor(db: OutpostDb, keys: readonly string[]): Promise<Map<string, UserBadge>> {
  if (keys.length === 0) return new Map()
  return badgesByUser(
    await db.outbox
      .where('userKey')
      .anyOf([...keys])
      .toArray(),
  )
}

/** The per-user badge (pending / failed entries). */
export async function getUserBadge(userKey: string, db: OutpostDb = getDatabase()): Promise<UserBadge> {
  return (await badgesFor(db, [userKey])).get(userKey) ?? NO_BADGE
}
