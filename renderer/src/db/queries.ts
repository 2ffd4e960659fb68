/**
 * The UI's read API: plain async functions over the database, safe to wrap in Dexie's
 * `liveQuery` (they only read, inside one implicit read transaction each). Writes live in
 * outbox-repository.ts and the sync engine, never here.
 */
import Dexie from 'dexie'
import type { User } from '../../../shared/schemas/user'
import { getDatabase, searchWords, type OutpostDb } from './database'
import type { HistoryRow, OutboxEntry, OutboxState, RowStatus, UserRow } from './rows'
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
  const sort = query.sort ?? 'name'
  const desc = query.order === 'desc'
  const offset = query.offset ?? 0
  const limit = query.limit ?? DEFAULT_LIST_LIMIT
  const words = query.search === undefined ? [] : searchWords([query.search])

  let rows: UserRow[]
  let total: number
  if (words.length > 0) {
    // Search narrows by the first word's index range, then checks the rest in memory.
    const [first, ...rest] = words as [string, ...string[]]
    const matches = await db.users
      .where('words')
      .startsWith(first)
      .distinct()
      .filter(
        (row) => (query.status === undefined || row.status === query.status) && rest.every((w) => row.words.some((rw) => rw.startsWith(w))),
      )
      .toArray()
    matches.sort((a, b) => compareBy(a, b, sort) * (desc ? -1 : 1))
    total = matches.length
    rows = matches.slice(offset, offset + limit)
  } else if (query.status !== undefined) {
    const range = db.users.where(`[status+${sort}]`).between([query.status, Dexie.minKey], [query.status, Dexie.maxKey])
    total = await range.count()
    rows = await (desc ? range.reverse() : range).offset(offset).limit(limit).toArray()
  } else {
    const ordered = db.users.orderBy(sort)
    total = await db.users.count()
    rows = await (desc ? ordered.reverse() : ordered).offset(offset).limit(limit).toArray()
  }
  const badges = await badgesFor(
    db,
    rows.map((r) => r.key),
  )
  return { total, items: rows.map((row) => ({ row, badge: badges.get(row.key) ?? NO_BADGE })) }
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
  return rows.sort(byTime)
}

const byTime = (a: HistoryRow, b: HistoryRow) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0)

/**
 * The timeline of every entry a user ever had, oldest first. Steps written before a create
 * got its server id stay under the local key (rewriting them would cost every create several
 * writes); the create's `rekeyed` step, stored under the server id, leads back to them.
 */
export async function getUserHistory(userKey: string, db: OutpostDb = getDatabase()): Promise<HistoryRow[]> {
  const rows = await db.history.where('userKey').equals(userKey).toArray()
  const createIds = rows.filter((row) => row.step === 'rekeyed').map((row) => row.entryId)
  if (createIds.length > 0) {
    const createSteps = await db.history.where('entryId').anyOf(createIds).toArray()
    const localKeys = [...new Set(createSteps.map((row) => row.userKey))].filter((key) => key !== userKey)
    if (localKeys.length > 0) rows.push(...(await db.history.where('userKey').anyOf(localKeys).toArray()))
  }
  return rows.sort(byTime)
}

/** Phase, last success, cursor and first-reconcile progress for the status bar. */
export async function getSyncOverview(db: OutpostDb = getDatabase()): Promise<SyncOverview> {
  return readSyncOverview(db)
}
