/**
 * A reconcile that reads only what changed: GET /users newest change first
 * (sort=updated_at&order=DESC), page after page, down to the mark the last reconcile left.
 * Users changed exactly at the mark are read again (equal timestamps overlap; writing a copy
 * already held changes nothing). It removes nothing: users the server no longer has are
 * found by the full reconcile, which runs only now and then (reconcile-scheduler.ts).
 */
import type { ApiError } from '../../../shared/api-result'
import { MAX_PAGE_SIZE } from '../../../shared/schemas/list'
import { openRelaxedTwin, type OutpostDb } from '../db/database'
import { readSyncState, writeSyncState } from '../db/sync-state'
import { loadUserIndex } from '../db/user-index'
import { putReconcilePage } from '../db/users-repository'
import type { ReconcileOptions, ReconcileResult } from './reconcile'
import type { SyncTransport } from './transport'

type Listing = Pick<SyncTransport, 'listUsers'>

/** The server's newest `updated_at` right now (null when it has no users). */
export async function newestUpdatedAt(
  transport: Listing,
): Promise<{ readonly ok: true; readonly value: string | null } | { readonly ok: false; readonly error: ApiError }> {
  const page = await transport.listUsers({ sort: 'updated_at', order: 'DESC', offset: 0, limit: 1 })
  if (!page.ok) return { ok: false, error: page.error }
  return { ok: true, value: page.value.data[0]?.updated_at ?? null }
}

/** Runs one; the caller makes sure a mark exists (else a full reconcile is due). */
export async function runChangesReconcile(db: OutpostDb, transport: Listing, options: ReconcileOptions): Promise<ReconcileResult> {
  const mark = await readSyncState(db, 'reconcileMark')
  if (mark === null) throw new Error('reconcile: no mark to read changes from; run a full reconcile')
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE
  const startedAt = options.now()
  const markTime = Date.parse(mark.updatedAt)
  await loadUserIndex(db)
  const cache = openRelaxedTwin(db)
  try {
    let newest: string | null = null
    let requests = 0
    let fetched = 0
    for (let offset = 0; ; offset += pageSize) {
      requests += 1
      const page = await transport.listUsers({ sort: 'updated_at', order: 'DESC', offset, limit: pageSize })
      if (options.isStopped?.() === true) return { ok: false, error: null }
      if (!page.ok) return { ok: false, error: page.error }
      const users = page.value.data
      newest ??= users[0]?.updated_at ?? null
      // Only the changed ones (and the overlap at the mark) are written.
      const changed = users.filter((user) => Date.parse(user.updated_at) >= markTime)
      fetched += changed.length
      await cache.transaction('rw', cache.users, () => putReconcilePage(cache, changed, 0))
      if (changed.length < users.length || users.length < pageSize) break
    }
    const finishedAt = options.now()
    // The mark moves to the newest change read first: anything changed meanwhile is at least as new.
    await db.transaction('rw', db.syncState, async () => {
      await writeSyncState(db, 'reconcileMark', { updatedAt: newest ?? mark.updatedAt, at: startedAt })
      await writeSyncState(db, 'lastSuccess', finishedAt)
    })
    return { ok: true, kind: 'changes', fetched, removed: 0, requests }
  } finally {
    cache.close()
  }
}
