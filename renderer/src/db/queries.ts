/**
 * The UI's read API: plain async functions over the database, safe to wrap in Dexie's
 * `liveQuery` (they only read, inside one implicit read transaction each). Writes live in
 * outbox-repository.ts and the sync engine, never here.
 */
import Dexie, { type IndexableType } from 'dexie'
import { assertNever } from '../../../shared/assert-never'
import type { User } from '../../../shared/schemas/user'
import { getDatabase, searchWords, type OutpostDb } from './database'
import type { HistoryRow, OutboxEntry, OutboxState, RowStatus, UserRow } from './rows'
import { expandHistory } from './history'
import { readSyncOverview, type SyncOverview } from './sync-state'

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

export interface UserBadge {
  /** Entries not yet finished (queued, sending, awaiting). */
  readonly pending: number
  /** Parked entries: they need the person's decision. */
  readonly failed: number
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
const NO_BADGE: UserBadge = { pending: 0, failed: 0 }

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
  const entries =
    keys.length === 0
      ? []
      : await db.outbox
          .where('userKey')
          .anyOf([...keys])
          .toArray()
  const badges = new Map<string, { pending: number; failed: number }>()
  for (const entry of entries) {
    const badge = badges.get(entry.userKey) ?? { pending: 0, failed: 0 }
    if (entry.state === 'parked') badge.failed += 1
    else badge.pending += 1
    badges.set(entry.userKey, badge)
  }
  return badges
}

/** The per-user badge (pending / failed entries). */
export async function getUserBadge(userKey: string, db: OutpostDb = getDatabase()): Promise<UserBadge> {
  return (await badgesFor(db, [userKey])).get(userKey) ?? NO_BADGE
}

/** Fields of a data change that are proof, not user data: never shown as pending values. */
const PROOF_FIELDS = new Set(['issuance_date', 'data_download_link', 'document_type'])

export interface PendingField {
  readonly value: unknown
  readonly entryId: string
  readonly state: OutboxState
}

export type UserView = Omit<Partial<User>, 'status'> & { readonly status: RowStatus }

export interface UserDetail {
  readonly row: UserRow
  /** What the person sees: server truth (or the local draft) with pending changes laid over it. */
  readonly view: UserView
  /** Field name -> the pending value and the entry carrying it (the latest entry wins). */
  readonly pendingFields: Readonly<Record<string, PendingField>>
  /** This user's outbox entries in lane order. */
  readonly entries: readonly OutboxEntry[]
}

/** One user with the pending overlay per field; undefined when the key is unknown. */
export async function getUser(userKey: string, db: OutpostDb = getDatabase()): Promise<UserDetail | undefined> {
  const row = await db.users.get(userKey)
  if (row === undefined) return undefined
  const entries = await entriesOf(db, userKey)
  const pendingFields: Record<string, PendingField> = {}
  for (const entry of entries) {
    const mark = (field: string, value: unknown) => {
      if (!PROOF_FIELDS.has(field)) pendingFields[field] = { value, entryId: entry.id, state: entry.state }
    }
    switch (entry.kind) {
      case 'create':
        for (const [field, value] of Object.entries(entry.payload.body)) mark(field, value)
        break
      case 'dataChange':
        for (const [field, value] of Object.entries(entry.payload.change.body)) if (value !== undefined) mark(field, value)
        break
      case 'offboard':
        mark('status', 'OFFBOARDING')
        break
      default:
        assertNever(entry, 'outbox entry')
    }
  }
  const base: Record<string, unknown> = { ...(row.user ?? row.draft ?? {}), status: row.status }
  for (const [field, pending] of Object.entries(pendingFields))
    if (field !== 'status' || row.status !== 'CREATING') base[field] = pending.value
  return { row, view: base as UserView, pendingFields, entries }
}

async function entriesOf(db: OutpostDb, userKey: string): Promise<OutboxEntry[]> {
  return db.outbox.where('[userKey+seq]').between([userKey, Dexie.minKey], [userKey, Dexie.maxKey]).toArray()
}

export interface OutboxGroup {
  readonly userKey: string
  /** The user's sort name (lowercase "last first"), or null when the row is gone. */
  readonly name: string | null
  readonly entries: readonly OutboxEntry[]
}

/** Every outbox entry, grouped by user, groups in the order their first entry was queued. */
export async function listOutboxByUser(db: OutpostDb = getDatabase()): Promise<OutboxGroup[]> {
  const entries = await db.outbox.orderBy('seq').toArray()
  const groups = new Map<string, OutboxEntry[]>()
  for (const entry of entries) groups.set(entry.userKey, [...(groups.get(entry.userKey) ?? []), entry])
  const rows = await db.users.bulkGet([...groups.keys()])
  return [...groups].map(([userKey, list], i) => ({ userKey, name: rows[i]?.name ?? null, entries: list }))
}

export interface OutboxCounts {
  readonly pending: number
  readonly failed: number
  readonly awaiting: number
  readonly total: number
}

export async function getOutboxCounts(db: OutpostDb = getDatabase()): Promise<OutboxCounts> {
  const [queued, sending, awaiting, parked] = await Promise.all(
    (['queued', 'sending', 'awaiting', 'parked'] as const).map((state) => db.outbox.where('state').equals(state).count()),
  )
  const q = queued ?? 0
  const s = sending ?? 0
  const a = awaiting ?? 0
  const p = parked ?? 0
  return { pending: q + s + a, failed: p, awaiting: a, total: q + s + a + p }
}

/** The timeline of one entry, oldest first. */
export async function getEntryHistory(entryId: string, db: OutpostDb = getDatabase()): Promise<HistoryRow[]> {
  const rows = await db.history.where('entryId').equals(entryId).toArray()
  return expandHistory(rows).sort(byTime)
}

const byTime = (a: HistoryRow, b: HistoryRow) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0)

/**
 * The timeline of every entry a user ever had, oldest first. Steps written before a create
 * got its server id stay under the local key (rewriting them would cost every create several
 * writes); the create's `rekeyed` step, stored under the server id, leads back to them.
 */
export async function getUserHistory(userKey: string, db: OutpostDb = getDatabase()): Promise<HistoryRow[]> {
  const rows = await db.history.where('userKey').equals(userKey).toArray()
  const createIds = rows.filter((row) => row.step === 'rekeyed' || row.rekeyedTo !== undefined).map((row) => row.entryId)
  if (createIds.length > 0) {
    const createSteps = await db.history.where('entryId').anyOf(createIds).toArray()
    const localKeys = [...new Set(createSteps.map((row) => row.userKey))].filter((key) => key !== userKey)
    if (localKeys.length > 0) rows.push(...(await db.history.where('userKey').anyOf(localKeys).toArray()))
  }
  return expandHistory(rows).sort(byTime)
}

/** Phase, last success, cursor and first-reconcile progress for the status bar. */
export async function getSyncOverview(db: OutpostDb = getDatabase()): Promise<SyncOverview> {
  return readSyncOverview(db)
}
