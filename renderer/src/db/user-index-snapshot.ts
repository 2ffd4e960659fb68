/**
 * The saved copy of the in-memory user index (owner of the `indexSnapshots` table): one
 * record of columns, read at start in one go so search and totals answer before the index
 * is rebuilt from the users table. It is a cache: a record of another format, or one that
 * does not parse or fit together, is ignored (the rebuild replaces it).
 */
import { z } from 'zod'
import { safeParseUnknown } from '../../../shared/parse'
import type { OutpostDb } from './database'
import { ROW_STATUSES } from './rows'
import { UserSearchIndex } from './user-search-index'

/** Raised whenever what a snapshot holds changes shape or meaning; older records are then ignored. */
export const USER_INDEX_SNAPSHOT_FORMAT = 1

const USERS_SNAPSHOT = 'users'

const texts = z.array(z.string())
const order = z.instanceof(Int32Array)

export const IndexSnapshotRowSchema = z.object({
  name: z.string(),
  format: z.number(),
  savedAt: z.number(),
  keys: texts,
  fields: z.object({ name: texts, updated_at: texts, created_at: texts, city: texts }),
  statuses: z.array(z.enum(ROW_STATUSES)),
  seenRuns: z.array(z.number()),
  words: texts,
  orders: z.object({ name: order, updated_at: order, created_at: order, city: order }),
})
export type IndexSnapshotRow = z.infer<typeof IndexSnapshotRowSchema>

/** The saved index, or null when there is none usable. */
export async function readUserIndexSnapshot(db: OutpostDb): Promise<UserSearchIndex | null> {
  const raw: unknown = await db.indexSnapshots.get(USERS_SNAPSHOT)
  // The format is checked before the (larger) parse: an old record is skipped cheaply.
  if (raw === undefined || (raw as { format?: unknown }).format !== USER_INDEX_SNAPSHOT_FORMAT) return null
  const parsed = safeParseUnknown(IndexSnapshotRowSchema, raw as unknown)
  if (!parsed.ok) return null
  try {
    return UserSearchIndex.fromColumns(parsed.value)
  } catch {
    return null
  }
}

/** Saves `index` as the snapshot (replacing the previous one). */
export async function writeUserIndexSnapshot(db: OutpostDb, index: UserSearchIndex, savedAt: number = Date.now()): Promise<void> {
  await db.indexSnapshots.put({ name: USERS_SNAPSHOT, format: USER_INDEX_SNAPSHOT_FORMAT, savedAt, ...index.toColumns() })
}
