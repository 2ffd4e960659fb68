/**
 * The saved copy of the in-memory user index (owner of the `indexSnapshots` table): one
 * record, read at start in one go so search and totals answer before (or instead of, see
 * user-index.ts) a rebuild from the users table. Each text column is one string (values
 * joined by a separator) and numbers are typed arrays: IndexedDB then hands back a few large
 * values instead of hundreds of thousands of small ones, which at 100,000 users is the
 * difference between milliseconds and seconds. It is a cache: a record of another format, or
 * one that does not parse or fit together, is ignored (the rebuild replaces it).
 */
import { z } from 'zod'
import { safeParseUnknown } from '../../../shared/parse'
import type { OutpostDb } from './database'
import { ROW_STATUSES } from './rows'
import { INDEX_SORT_FIELDS, UserSearchIndex, type IndexSortField, type UserIndexColumns } from './user-search-index'

/** Raised whenever what a snapshot holds changes shape or meaning; older records are then ignored. */
export const USER_INDEX_SNAPSHOT_FORMAT = 2

const USERS_SNAPSHOT = 'users'

/**
 * Between two values of a text column. A value holding it (never seen in names, cities, dates
 * or ids) makes the column split into too many parts: the snapshot is then ignored, not misread.
 */
const SEPARATOR = '\u001f'

const joined = z.string()
const order = z.instanceof(Int32Array)

export const IndexSnapshotRowSchema = z.object({
  name: z.string(),
  format: z.number(),
  savedAt: z.number(),
  /** How many users the snapshot holds. */
  count: z.number().int().nonnegative(),
  keys: joined,
  fields: z.object({ name: joined, updated_at: joined, created_at: joined, city: joined }),
  /** Each user's status as its position in ROW_STATUSES. */
  statuses: z.instanceof(Uint8Array),
  seenRuns: z.instanceof(Float64Array),
  words: joined,
  orders: z.object({ name: order, updated_at: order, created_at: order, city: order }),
})
export type IndexSnapshotRow = z.infer<typeof IndexSnapshotRowSchema>

/** The saved index with when it was saved, or null when there is none usable. */
export async function readUserIndexSnapshot(db: OutpostDb): Promise<{ index: UserSearchIndex; savedAt: number } | null> {
  const raw: unknown = await db.indexSnapshots.get(USERS_SNAPSHOT)
  // The format is checked before the parse: an old record is skipped cheaply.
  if (raw === undefined || (raw as { format?: unknown }).format !== USER_INDEX_SNAPSHOT_FORMAT) return null
  const parsed = safeParseUnknown(IndexSnapshotRowSchema, raw as unknown)
  if (!parsed.ok) return null
  try {
    return { index: UserSearchIndex.fromColumns(columnsOf(parsed.value)), savedAt: parsed.value.savedAt }
  } catch {
    return null
  }
}

/** Saves `index` as the snapshot (replacing the previous one). */
export async function writeUserIndexSnapshot(db: OutpostDb, index: UserSearchIndex, savedAt: number = Date.now()): Promise<void> {
  await db.indexSnapshots.put(snapshotRowOf(index.toColumns(), savedAt))
}

function snapshotRowOf(columns: UserIndexColumns, savedAt: number): IndexSnapshotRow {
  const statusCode = new Map(ROW_STATUSES.map((status, code) => [status as string, code]))
  return {
    name: USERS_SNAPSHOT,
    format: USER_INDEX_SNAPSHOT_FORMAT,
    savedAt,
    count: columns.keys.length,
    keys: columns.keys.join(SEPARATOR),
    fields: mapFields((field) => columns.fields[field].join(SEPARATOR)),
    statuses: Uint8Array.from(columns.statuses, (status) => statusCode.get(status)!),
    seenRuns: Float64Array.from(columns.seenRuns),
    words: columns.words.join(SEPARATOR),
    orders: columns.orders,
  }
}

/** The columns a snapshot holds; throws when a column does not hold one value per user. */
function columnsOf(row: IndexSnapshotRow): UserIndexColumns {
  const n = row.count
  const split = (text: string, what: string): string[] => {
    // An empty column holds no values (split would give one empty value).
    const values = n === 0 && text === '' ? [] : text.split(SEPARATOR)
    if (values.length !== n) throw new Error(`index snapshot column ${what} holds ${values.length} values for ${n} users`)
    return values
  }
  if (row.statuses.length !== n || row.seenRuns.length !== n) throw new Error('index snapshot columns differ in length')
  const statuses = Array.from(row.statuses, (code) => {
    const status = ROW_STATUSES[code]
    if (status === undefined) throw new Error(`index snapshot holds an unknown status ${code}`)
    return status
  })
  return {
    keys: split(row.keys, 'keys'),
    fields: mapFields((field) => split(row.fields[field], field)),
    statuses,
    seenRuns: Array.from(row.seenRuns),
    words: split(row.words, 'words'),
    orders: row.orders as UserIndexColumns['orders'],
  }
}

function mapFields<T>(value: (field: IndexSortField) => T): Record<IndexSortField, T> {
  return Object.fromEntries(INDEX_SORT_FIELDS.map((field) => [field, value(field)])) as Record<IndexSortField, T>
}
