import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, type OutpostDb } from '../../../../renderer/src/db/database'
import { readyUserIndex, startUserIndex } from '../../../../renderer/src/db/user-index'
import { enqueueCreate, enqueueDataChange } from '../../../../renderer/src/db/outbox-repository'
import { readSyncState } from '../../../../renderer/src/db/sync-state'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { runFullReconcile } from '../../../../renderer/src/sync/reconcile'
import type { ReconcileProgress } from '../../../../renderer/src/db/sync-state'
import { FakeUsersApi } from '../../../support/sync/fake-users-api'
import { createBody, emailChange, freshDb, serverUser } from '../../../support/sync/fixtures'

let db: OutpostDb
let api: FakeUsersApi
beforeEach(() => {
  db = freshDb('reconcile')
  api = new FakeUsersApi()
})
afterEach(() => db.close())

describe('runFullReconcile', () => {
  it('inserts and updates every page, removes what the server no longer has unless pending', async () => {
    for (let i = 0; i < 25; i++) await api.createUser(createBody(i), `k${i}`)
    const gone = serverUser({ first_name: 'Gone' })
    const goneButPending = serverUser({ first_name: 'Pending' })
    const touchedLater = serverUser({ first_name: 'Later' })
    await db.users.bulkPut([
      rowFromServerUser(gone, 0, 0),
      rowFromServerUser(goneButPending, 0, 0),
      rowFromServerUser(touchedLater, 0, 10_000),
    ])
    await enqueueDataChange(goneButPending.id, emailChange('a@b.de'), db)
    const local = await enqueueCreate(createBody(99), db)
    // A stale copy of a server user: the reconcile brings the newer one.
    const first = [...api.users.values()][0]!
    await db.users.put(rowFromServerUser({ ...first, updated_at: '2000-01-01T00:00:00Z', first_name: 'Stale' }, 0, 0))

    const progress: ReconcileProgress[] = []
    const result = await runFullReconcile(db, api.transport(), { pageSize: 10, now: () => 5_000, onProgress: (p) => progress.push(p) })
    // One request for the newest change (the mark), then three pages.
    expect(result).toEqual({ ok: true, kind: 'full', fetched: 25, removed: 1, requests: 4 })
    expect(progress.map((p) => p.fetched)).toEqual([0, 10, 20, 25, 25])
    expect(progress.at(-1)).toMatchObject({ total: 25, done: true })
    expect(await db.users.get(gone.id)).toBeUndefined()
    expect(await db.users.get(goneButPending.id)).toBeDefined()
    expect(await db.users.get(touchedLater.id)).toBeDefined()
    expect(await db.users.get(local.userKey)).toBeDefined()
    expect((await db.users.get(first.id))?.user?.first_name).toBe(first.first_name)
    expect(await db.users.count()).toBe(25 + 3)
    expect(await readSyncState(db, 'lastFullReconcile')).toBe(5_000)
    expect(api.calls.filter((c) => c === 'listUsers')).toHaveLength(4)
  })

  it('saves the users index when done, so the next start takes it as it is instead of rebuilding it', async () => {
    const items = new Map<string, string>()
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    })
    try {
      for (let i = 0; i < 12; i++) await api.createUser(createBody(i), `k${i}`)
      expect((await runFullReconcile(db, api.transport(), { pageSize: 5, now: () => 5_000 })).ok).toBe(true)
      const next = openDatabase(db.name)
      try {
        // The build is held back: only a snapshot saved as current can make the index ready.
        await startUserIndex(next, new Promise(() => undefined))
        expect(readyUserIndex(next)?.size).toBe(12)
      } finally {
        next.close()
      }
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('keeps a newer row than the listing, and stops on an API error', async () => {
    const created = await api.createUser(createBody(1), 'k1')
    if (!created.ok) throw new Error('setup')
    const newer = { ...created.value, status: 'OFFBOARDING' as const, updated_at: '2100-01-01T00:00:00Z' }
    await db.users.put(rowFromServerUser(newer, 0, 0))
    expect((await runFullReconcile(db, api.transport(), { now: () => 1 })).ok).toBe(true)
    expect((await db.users.get(newer.id))?.status).toBe('OFFBOARDING')

    api.injectFaults('server')
    const failed = await runFullReconcile(db, api.transport(), { now: () => 2 })
    expect(failed.ok).toBe(false)
    expect(await db.users.get(newer.id)).toBeDefined()
  })
})
