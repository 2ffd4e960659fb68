/**
 * Full reconcile: pages through GET /users (1000 a page, oldest first) and makes the cache
 * match the server. Each page is one transaction (rows the index knows are read back, then
 * one bulkPut), written with relaxed durability: the server has every row, only the outbox
 * and the cursor must survive a crash as written. The next page is fetched while the current
 * one is written. Rows the server no longer lists are removed afterwards, unless they have
 * pending entries or were written after the run began (an event or a create the listing
 * could not have seen). It leaves a mark (reconcile-changes.ts) for the later, cheaper runs,
 * and saves the users index snapshot at once.
 */
import type { ApiError } from '../../../shared/api-result'
import { MAX_PAGE_SIZE, type ListUsersResponse } from '../../../shared/schemas/list'
import { openRelaxedTwin, type OutpostDb } from '../db/database'
import { readSyncState, writeSyncState, type ReconcileProgress } from '../db/sync-state'
import { loadUserIndex, saveUserIndexSnapshot } from '../db/user-index'
import { putReconcilePage, removeUnseen, unseenServerKeys } from '../db/users-repository'
import { newestUpdatedAt } from './reconcile-changes'
import type { SyncTransport } from './transport'

export interface ReconcileOptions {
  readonly pageSize?: number
  readonly now: () => number
  readonly onProgress?: (progress: ReconcileProgress) => void
  /** A stopped engine abandons the run between pages. */
  readonly isStopped?: () => boolean
}

export type ReconcileResult =
  | { readonly ok: true; readonly kind: 'full' | 'changes'; readonly fetched: number; readonly removed: number; readonly requests: number }
  | { readonly ok: false; readonly error: ApiError }
  | { readonly ok: false; readonly error: null }

/** Pages requested ahead of the one being written. */
const PREFETCH_PAGES = 3
// Rows removed per transaction in the sweep: small enough to keep each transaction short.
const SWEEP_CHUNK = 500

export async function runFullReconcile(
  db: OutpostDb,
  transport: Pick<SyncTransport, 'listUsers'>,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const cache = openRelaxedTwin(db)
  try {
    return await fullReconcile(db, cache, transport, options)
  } finally {
    cache.close()
  }
}

async function fullReconcile(
  db: OutpostDb,
  cache: OutpostDb,
  transport: Pick<SyncTransport, 'listUsers'>,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE
  await loadUserIndex(db)
  // The newest change the server has now: the next run reads changes down to it.
  const mark = await newestUpdatedAt(transport)
  if (!mark.ok) return mark
  let requests = 1
  const previous = await readSyncState(db, 'reconcile')
  const run = (previous?.run ?? 0) + 1
  const startedAt = options.now()
  let progress: ReconcileProgress = { run, startedAt, fetched: 0, total: null, done: false }
  await writeSyncState(db, 'reconcile', progress)
  options.onProgress?.(progress)

  const fetchPage = (offset: number) => {
    requests += 1
    const page = transport.listUsers({ sort: 'created_at', order: 'ASC', offset, limit: pageSize })
    // A page fetched ahead may be abandoned (stop, earlier failure): never an unhandled rejection.
    page.catch(() => undefined)
    return page
  }
  const ahead = [fetchPage(0)]
  let nextOffset = pageSize
  let offset = 0
  for (;;) {
    const page = await ahead.shift()!
    if (options.isStopped?.() === true) return { ok: false, error: null }
    if (!page.ok) return { ok: false, error: page.error }
    const count = page.value.data.length
    const total = page.value.meta.total_count
    offset += count
    const more = count === pageSize && offset < total
    // Fetch ahead: a few pages travel while this one is written (pages are aligned, so a short
    // page ends the run and any page fetched beyond it is dropped).
    while (more && ahead.length < PREFETCH_PAGES && nextOffset < total) {
      ahead.push(fetchPage(nextOffset))
      nextOffset += pageSize
    }
    progress = { ...progress, fetched: offset, total }
    await writePage(cache, page.value, run, progress)
    options.onProgress?.(progress)
    if (!more) break
  }
  const removed = await sweep(cache, run, startedAt)
  const finishedAt = options.now()
  progress = { ...progress, done: true }
  await db.transaction('rw', db.syncState, async () => {
    await writeSyncState(db, 'reconcile', progress)
    await writeSyncState(db, 'lastFullReconcile', finishedAt)
    await writeSyncState(db, 'lastSuccess', finishedAt)
    await writeSyncState(db, 'reconcileMark', mark.value === null ? null : { updatedAt: mark.value, at: startedAt })
  })
  options.onProgress?.(progress)
  // The whole table was just written: saved now, the next start takes the index as it is
  // instead of rebuilding it from every row (a cache: a failed save costs only that).
  await saveUserIndexSnapshot(db).catch((error: unknown) => console.warn('users: search index not saved', error))
  return { ok: true, kind: 'full', fetched: offset, removed, requests }
}

async function writePage(db: OutpostDb, page: ListUsersResponse, run: number, progress: ReconcileProgress): Promise<void> {
  await db.transaction('rw', [db.users, db.syncState], async () => {
    await putReconcilePage(db, page.data, run)
    await writeSyncState(db, 'reconcile', progress)
  })
}

/** Removes server rows this run did not see; the in-memory index names them, the rows are checked a chunk at a time. */
async function sweep(db: OutpostDb, run: number, startedAt: number): Promise<number> {
  const keys = await unseenServerKeys(db, run)
  let removed = 0
  for (let i = 0; i < keys.length; i += SWEEP_CHUNK) {
    const chunk = keys.slice(i, i + SWEEP_CHUNK)
    removed += await db.transaction('rw', [db.users, db.outbox], () => removeUnseen(db, chunk, run, startedAt))
  }
  return removed
}
