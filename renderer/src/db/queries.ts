/**
 * The UI's read API: plain async functions over the database, safe to wrap in Dexie's
 * `liveQuery` (they only read, inside one implicit read transaction each). The user list and
 * its search are in user-list.ts; writes live in the repositories, never here.
 */
import Dexie from 'dexie'
import { getDatabase, type OutpostDb } from './database'
import { expandHistory } from './history'
import { pendingOverlay, type PendingOverlay } from './outbox-rules'
import type { HistoryRow, OutboxEntry, UserRow } from './rows'
import { readSyncOverview, type SyncOverview } from './sync-state'

export type { PendingField, UserBadge, UserView } from './outbox-rules'
export {
  DEFAULT_LIST_LIMIT,
  getUserBadge,
  listUsers,
  USER_SORT_FIELDS,
  type UserListItem,
  type UserListPage,
  type UserListQuery,
  type UserSortField,
} from './user-list'

export interface UserDetail extends PendingOverlay {
  readonly row: UserRow
  /** This user's outbox entries in lane order. */
  readonly entries: readonly OutboxEntry[]
}

/** One user with the pending overlay per field; undefined when the key is unknown. */
export async function getUser(userKey: string, db: OutpostDb = getDatabase()): Promise<UserDetail | undefined> {
  const row = await db.users.get(userKey)
  if (row === undefined) return undefined
  const entries = await entriesOf(db, userKey)
  return { row, entries, ...pendingOverlay(row, entries) }
}

async function entriesOf(db: OutpostDb, userKey: string): Promise<OutboxEntry[]> {
  return db.outbox.where('[userKey+seq]').between([userKey, Dexie.minKey], [userKey, Dexie.maxKey]).toArray()
}

export interface OutboxGroup {
  readonly userKey: string
  /** The user's sort name (lowercase "last first"), or null when the row is gone. */
  readonly name: string | null
  /** The user's names as the server or the local draft holds them, for showing; null when the row is gone. */
  readonly person: { readonly first_name: string; readonly last_name: string } | null
  readonly entries: readonly OutboxEntry[]
}

/** Every outbox entry, grouped by user, groups in the order their first entry was queued. */
export async function listOutboxByUser(db: OutpostDb = getDatabase()): Promise<OutboxGroup[]> {
  const entries = await db.outbox.orderBy('seq').toArray()
  const groups = new Map<string, OutboxEntry[]>()
  for (const entry of entries) groups.set(entry.userKey, [...(groups.get(entry.userKey) ?? []), entry])
  const rows = await db.users.bulkGet([...groups.keys()])
  return [...groups].map(([userKey, list], i) => {
    const person = rows[i]?.user ?? rows[i]?.draft ?? null
    return { userKey, name: rows[i]?.name ?? null, person: person && { first_name: person.first_name, last_name: person.last_name }, entries: list }
  })
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
