/**
 * The user list's read: one page of users, sorted, filtered by status and searched by word
 * prefixes, with each row's pending/failed badge. Reads only (safe in a liveQuery); the
 * search decides matches and the total on index keys and reads only the rows it shows.
 */
import Dexie, { type IndexableType } from 'dexie'
import { getDatabase, searchWords, type OutpostDb } from './database'
import { badgesByUser, NO_BADGE, type UserBadge } from './outbox-rules'
import type { RowStatus, UserRow } from './rows'

export const USER_SORT_FIELDS = ['name', 'updated_at', 'created_at', 'city'] as const
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
  const page: PageSpec = {
    status: query.status,
    sort: query.sort ?? 'name',
    desc: query.order === 'desc',
    offset: query.offset ?? 0,
    limit: query.limit ?? DEFAULT_LIST_LIMIT,
  }
  const words = query.search === undefined ? [] : searchWords([query.search])

  const { rows, total } = words.length > 0 ? await searchUsers(db, words, page) : await browseUsers(db, page)
  const badges = await badgesFor(
    db,
    rows.map((r) => r.key),
  )
  return { total, items: rows.map((row) => ({ row, badge: badges.get(row.key) ?? NO_BADGE })) }
}

/** Which page of which ordering a list read asks for. */
interface PageSpec {
  readonly status: RowStatus | undefined
  readonly sort: UserSortField
  readonly desc: boolean
  readonly offset: number
  readonly limit: number
}

/** No search: the sort index (per status, if one is chosen) gives the page and the total directly. */
async function browseUsers(db: OutpostDb, { status, sort, desc, offset, limit }: PageSpec): Promise<{ rows: UserRow[]; total: number }> {
  if (status !== undefined) {
    const range = db.users.where(`[status+${sort}]`).between([status, Dexie.minKey], [status, Dexie.maxKey])
    const total = await range.count()
    return { total, rows: await (desc ? range.reverse() : range).offset(offset).limit(limit).toArray() }
  }
  const ordered = db.users.orderBy(sort)
  const total = await db.users.count()
  return { total, rows: await (desc ? ordered.reverse() : ordered).offset(offset).limit(limit).toArray() }
}

/**
 * Reading one whole row costs about as much as stepping this many index keys (measured in
 * Chromium with 100k users on a busy 2-core box: bulkGet ~110-285 µs a row, a key read
 * ~20-60 µs a key).
 */
const ROW_COST_IN_KEYS = 5

/** Sorts whose field is searched text: its rows starting with a search word sit together. */
const TEXT_SORTS: ReadonlySet<UserSortField> = new Set(['name', 'city'])

/**
 * Search: which rows match is decided on keys only (each word's prefix range in the `words`
 * index, intersected), so the total never reads a row. The page is the first `offset+limit`
 * matches in sort order, taken from parts of the sort index that together cover it once:
 * - under a text sort, the rows whose sort field starts with a search word form one block
 *   (e.g. a last name under the name sort); its first matches are found by walking it;
 * - the gaps between blocks hold the scattered matches: walk their keys in order until
 *   enough are found (a broad prefix like "an" finds them fast).
 * Walks step keys only; only the candidate rows are read, then sorted and sliced. A gap walk
 * that has stepped as many keys as reading every match would cost gives up, and the
 * scattered matches are read and sorted in memory instead (few matches, or far down).
 * One read transaction, so the total and the page describe the same moment.
 */
async function searchUsers(db: OutpostDb, words: readonly string[], page: PageSpec): Promise<{ rows: UserRow[]; total: number }> {
  const { status, sort, desc, offset, limit } = page
  return db.transaction('r', db.users, async () => {
    const want = offset + limit
    if (status !== undefined) return sortedSlice(await statusMatches(db, words, status), page)
    const blocks = TEXT_SORTS.has(sort) ? prefixBlocks(words) : []
    // Read side by side: the block keys overlap the words read and are needed by any big result.
    const [matches, blockKeys] = await Promise.all([
      matchingKeys(db, words),
      Promise.all(blocks.map(async ([from, to]) => db.users.where(sort).between(from, to, true, false).primaryKeys())),
    ])
    if (matches.size <= want) return sortedSlice(await readRows(db, [...matches]), page)
    const candidates: string[] = []
    // Blocks: their first matches are candidates; the other matches are scattered in the gaps.
    const rest = new Set(matches)
    for (const keys of blockKeys) {
      const inBlock = keys.filter((key) => matches.has(key))
      candidates.push(...(desc ? inBlock.reverse() : inBlock).slice(0, want))
      for (const key of inBlock) rest.delete(key)
    }
    // Gaps: walk until the first `want` scattered matches are found, or read them all.
    let restRows: UserRow[] = []
    if (rest.size > 0) {
      const hits: string[] = []
      const budget = rest.size * ROW_COST_IN_KEYS
      let stepped = 0
      const gaps =
        blocks.length === 0 ? db.users.orderBy(sort) : db.users.where(sort).inAnyRange(gapsBetween(blocks), { includeUppers: false })
      await (desc ? gaps.reverse() : gaps)
        .until(() => hits.length >= want || stepped >= budget)
        .eachPrimaryKey((key) => {
          stepped += 1
          if (rest.has(key)) hits.push(key)
        })
      if (hits.length >= want || hits.length === rest.size) candidates.push(...hits)
      else restRows = await readRows(db, [...rest])
    }
    const rows = [...(await readRows(db, [...new Set(candidates)])), ...restRows]
    return { rows: sortedSlice(rows, page).rows, total: matches.size }
  })
}

/** Half-open ranges [word, word + U+FFFF) of the search words, merged, in order. */
function prefixBlocks(words: readonly string[]): [string, string][] {
  const blocks: [string, string][] = []
  for (const [from, to] of words.map((w): [string, string] => [w, w + '\uffff']).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const last = blocks.at(-1)
    if (last !== undefined && from <= last[1]) last[1] = to > last[1] ? to : last[1]
    else blocks.push([from, to])
  }
  return blocks
}

/** The half-open ranges around the blocks: with them, every key exactly once. */
function gapsBetween(blocks: readonly [string, string][]): [IndexableType, IndexableType][] {
  const gaps: [IndexableType, IndexableType][] = []
  let from: IndexableType = Dexie.minKey
  for (const [start, end] of blocks) {
    gaps.push([from, start])
    from = end
  }
  gaps.push([from, Dexie.maxKey])
  return gaps
}

async function readRows(db: OutpostDb, keys: readonly string[]): Promise<UserRow[]> {
  return (await db.users.bulkGet([...keys])).filter((row): row is UserRow => row !== undefined)
}

/**
 * Search with a status: the total needs each match's status, which only its row holds, so
 * the rows under the longest word's prefix are read in one go (faster than a cursor or a
 * get per key) and checked here.
 */
async function statusMatches(db: OutpostDb, words: readonly string[], status: RowStatus): Promise<UserRow[]> {
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a))
  const seen = new Set<string>()
  return (await db.users.where('words').startsWith(longest).toArray()).filter((row) => {
    // A row with two words under the prefix comes twice.
    if (seen.has(row.key)) return false
    seen.add(row.key)
    return row.status === status && words.every((w) => row.words.some((rw) => rw.startsWith(w)))
  })
}

function sortedSlice(rows: UserRow[], { sort, desc, offset, limit }: PageSpec): { rows: UserRow[]; total: number } {
  rows.sort((x, y) => compareBy(x, y, sort) * (desc ? -1 : 1))
  return { rows: rows.slice(offset, offset + limit), total: rows.length }
}

/** Keys of the rows where every word prefix-matches one of the row's words. */
async function matchingKeys(db: OutpostDb, words: readonly string[]): Promise<Set<string>> {
  // A row with two words under one prefix is listed twice: the sets dedupe.
  const sets = await Promise.all(words.map(async (word) => new Set(await db.users.where('words').startsWith(word).primaryKeys())))
  sets.sort((a, b) => a.size - b.size)
  const [smallest, ...others] = sets as [Set<string>, ...Set<string>[]]
  return others.length === 0 ? smallest : new Set([...smallest].filter((key) => others.every((set) => set.has(key))))
}

function compareBy(a: UserRow, b: UserRow, sort: UserSortField): number {
  const x = a[sort]
  const y = b[sort]
  return x < y ? -1 : x > y ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0
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
