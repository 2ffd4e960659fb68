import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, type OutpostDb } from '../../../../renderer/src/db/database'
import { listUsers } from '../../../../renderer/src/db/queries'
import {
  loadUserIndex,
  readyUserIndex,
  saveUserIndexSnapshot,
  servingUserIndex,
  SNAPSHOT_SAVE_DELAY_MS,
  startUserIndex,
} from '../../../../renderer/src/db/user-index'
import { USER_INDEX_SNAPSHOT_FORMAT } from '../../../../renderer/src/db/user-index-snapshot'
import { putReconcilePage, upsertFromServer } from '../../../../renderer/src/db/users-repository'
import { serverUser, waitUntil } from '../../../support/sync/fixtures'

const opened: OutpostDb[] = []
afterEach(() => {
  for (const db of opened.splice(0)) db.close()
})

function open(name: string): OutpostDb {
  const db = openDatabase(name)
  opened.push(db)
  return db
}

const uniqueName = () => `user-index-snapshot-${Math.random().toString(36).slice(2)}`

/** A build that waits until the test lets it run: what a slow build at 100,000 users looks like to the list. */
function heldBuild(): { gate: Promise<void>; release: () => void } {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  return { gate, release }
}

const names = async (db: OutpostDb, query: Parameters<typeof listUsers>[0]) => (await listUsers(query, db)).items.map((i) => i.row.name)

/** A database whose snapshot was saved with Kessler, Gonzales and Adler; then (snapshot not saved again) Gonzales is removed and Neumann added. */
async function staleSnapshotDatabase(): Promise<string> {
  const name = uniqueName()
  const first = open(name)
  for (const lastName of ['Kessler', 'Gonzales', 'Adler'])
    await upsertFromServer(first, serverUser({ last_name: lastName, first_name: 'Max' }), 1)
  await loadUserIndex(first)
  await saveUserIndexSnapshot(first)
  first.close()
  // The app stopped before its next save: the table moved on without the snapshot.
  const later = open(name)
  const gone = (await later.users.where('name').equals('gonzales max').first())!
  await later.users.delete(gone.key)
  await upsertFromServer(later, serverUser({ last_name: 'Neumann', first_name: 'Max' }), 2)
  later.close()
  return name
}

describe('the saved user index serves the list until the build is done', () => {
  it('answers a search from the snapshot while the build has not run, and the build then corrects it', async () => {
    const db = open(await staleSnapshotDatabase())
    const build = heldBuild()
    await startUserIndex(db, build.gate)

    expect(await names(db, { search: 'kess' })).toEqual(['kessler max'])
    expect(readyUserIndex(db)).toBeNull()
    // The removed user is skipped (never a blank row); the added one waits for the build.
    const byName = await listUsers({ sort: 'name' }, db)
    expect(byName.items.map((i) => i.row.name)).toEqual(['adler max', 'kessler max'])
    expect(await names(db, { search: 'gonz' })).toEqual([])
    expect(await names(db, { search: 'neum' })).toEqual([])

    build.release()
    await waitUntil(() => readyUserIndex(db) !== null, 10_000, 'the index built')
    expect(await names(db, { search: 'neum' })).toEqual(['neumann max'])
    expect((await listUsers({ search: 'gonz' }, db)).total).toBe(0)
    const after = await listUsers({ sort: 'name' }, db)
    expect(after.total).toBe(3)
    expect(after.items.map((i) => i.row.name)).toEqual(['adler max', 'kessler max', 'neumann max'])
  })

  it('follows writes made while the snapshot serves', async () => {
    const db = open(await staleSnapshotDatabase())
    const build = heldBuild()
    await startUserIndex(db, build.gate)
    await upsertFromServer(db, serverUser({ last_name: 'Zeller', first_name: 'Max' }), 3)
    expect(await names(db, { search: 'zell' })).toEqual(['zeller max'])
    build.release()
    await waitUntil(() => readyUserIndex(db) !== null, 10_000, 'the index built')
    expect(await names(db, { search: 'zell' })).toEqual(['zeller max'])
    expect((await listUsers({}, db)).total).toBe(4)
  })

  it('saves the built index so the next start finds it', async () => {
    const name = uniqueName()
    const first = open(name)
    await upsertFromServer(first, serverUser({ last_name: 'Vogel' }), 1)
    await loadUserIndex(first)
    await saveUserIndexSnapshot(first)
    first.close()
    const next = open(name)
    await startUserIndex(next, heldBuild().gate)
    expect(servingUserIndex(next)?.size).toBe(1)
  })

  it('ignores a snapshot of another format version, or one whose columns do not fit together', async () => {
    const name = await staleSnapshotDatabase()
    const raw = open(name)
    const saved = (await raw.indexSnapshots.toArray())[0]!
    await raw.indexSnapshots.put({ ...saved, format: USER_INDEX_SNAPSHOT_FORMAT + 1 })
    raw.close()

    const db = open(name)
    await startUserIndex(db, heldBuild().gate)
    expect(servingUserIndex(db)).toBeNull()
    // The first page by name still shows; a search waits for the build instead of a wrong answer.
    expect(await names(db, {})).toEqual(['adler max', 'kessler max', 'neumann max'])
    expect(await names(db, { search: 'neum' })).toEqual(['neumann max'])
    db.close()

    const broken = open(name)
    await broken.indexSnapshots.put({ ...saved, orders: { ...saved.orders, name: new Int32Array([0, 0, 1]) } })
    broken.close()
    const again = open(name)
    await startUserIndex(again, heldBuild().gate)
    expect(servingUserIndex(again)).toBeNull()
  })
})

/** The part of localStorage the index uses for its marker, kept in memory for the test. */
function memoryStorage() {
  const items = new Map<string, string>()
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  }
}

describe('a snapshot saved with nothing written after it is taken as the index, without a rebuild', () => {
  afterEach(() => vi.unstubAllGlobals())

  async function savedCleanly(lastNames: readonly string[]): Promise<string> {
    const name = uniqueName()
    const first = open(name)
    for (const lastName of lastNames) await upsertFromServer(first, serverUser({ last_name: lastName, first_name: 'Max' }), 1)
    await loadUserIndex(first)
    await saveUserIndexSnapshot(first)
    first.close()
    return name
  }

  it('serves search and the exact total at the next start while the build is held back', async () => {
    vi.stubGlobal('localStorage', memoryStorage())
    const db = open(await savedCleanly(['Kessler', 'Gonzales', 'Adler']))
    await startUserIndex(db, heldBuild().gate)
    // Ready means the truth: the reconcile and its sweep use it; it was never built from the table.
    expect(readyUserIndex(db)?.size).toBe(3)
    expect(await names(db, { search: 'gonz' })).toEqual(['gonzales max'])
  })

  it('is only a stale answer when a write came after the save (the rebuild corrects it)', async () => {
    vi.stubGlobal('localStorage', memoryStorage())
    const name = await savedCleanly(['Kessler', 'Gonzales'])
    const later = open(name)
    await upsertFromServer(later, serverUser({ last_name: 'Neumann', first_name: 'Max' }), 2)
    later.close()

    const db = open(name)
    const build = heldBuild()
    await startUserIndex(db, build.gate)
    expect(readyUserIndex(db)).toBeNull()
    expect(servingUserIndex(db)?.size).toBe(2)
    build.release()
    await waitUntil(() => readyUserIndex(db) !== null, 10_000, 'the index built')
    expect(await names(db, { search: 'neum' })).toEqual(['neumann max'])
  })

  it('is not taken as current when a write to users was under way while it was saved', async () => {
    vi.stubGlobal('localStorage', memoryStorage())
    const name = uniqueName()
    const first = open(name)
    await upsertFromServer(first, serverUser({ last_name: 'Kessler' }), 1)
    await loadUserIndex(first)
    let saving: Promise<void> | null = null
    await first.transaction('rw', first.users, async () => {
      await putReconcilePage(first, [serverUser({ last_name: 'Neumann' })], 1)
      // The save reads the index before this page commits: it cannot hold Neumann.
      saving = saveUserIndexSnapshot(first)
    })
    await saving
    first.close()

    const db = open(name)
    await startUserIndex(db, heldBuild().gate)
    expect(readyUserIndex(db)).toBeNull()
  })

  it('gives the first page its total without counting the table, until something is written', async () => {
    vi.stubGlobal('localStorage', memoryStorage())
    const db = open(await savedCleanly(['Kessler', 'Gonzales', 'Adler']))
    void startUserIndex(db, heldBuild().gate, heldBuild().gate)
    const count = vi.spyOn(db.users, 'count')
    const first = await listUsers({ sort: 'name', limit: 2 }, db)
    expect(first.total).toBe(3)
    expect(first.items.map((i) => i.row.name)).toEqual(['adler max', 'gonzales max'])
    expect(count).not.toHaveBeenCalled()

    await upsertFromServer(db, serverUser({ last_name: 'Zeller', first_name: 'Max' }), 2)
    expect((await listUsers({ sort: 'name', limit: 2 }, db)).total).toBe(4)
    expect(count).toHaveBeenCalled()
  })

  it('takes the writes of this start made before it was read, so nothing written meanwhile is missing', async () => {
    vi.stubGlobal('localStorage', memoryStorage())
    const db = open(await savedCleanly(['Kessler']))
    const read = heldBuild()
    const started = startUserIndex(db, heldBuild().gate, read.gate)
    await upsertFromServer(db, serverUser({ last_name: 'Zeller', first_name: 'Max' }), 2)
    read.release()
    await started
    expect(readyUserIndex(db)?.size).toBe(2)
    expect(await names(db, { search: 'zell' })).toEqual(['zeller max'])
  })
})

describe('the saved user index is kept current off the hot path', () => {
  afterEach(() => vi.useRealTimers())

  it('is saved a while after the build, and again a while after users change, not on each write', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const db = open(uniqueName())
    await upsertFromServer(db, serverUser({ last_name: 'Vogel' }), 1)
    await loadUserIndex(db)
    const savedSize = async () => {
      const [saved] = await db.indexSnapshots.toArray()
      return saved?.count
    }
    expect(await savedSize()).toBeUndefined()
    await vi.advanceTimersByTimeAsync(SNAPSHOT_SAVE_DELAY_MS)
    await waitForReal(async () => (await savedSize()) === 1)

    await upsertFromServer(db, serverUser({ last_name: 'Fink' }), 2)
    await upsertFromServer(db, serverUser({ last_name: 'Amsel' }), 2)
    expect(await savedSize()).toBe(1)
    await vi.advanceTimersByTimeAsync(SNAPSHOT_SAVE_DELAY_MS)
    await waitForReal(async () => (await savedSize()) === 3)
  })
})

/** Polls without setTimeout (faked here): IndexedDB work runs between the polls. */
async function waitForReal(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1_000; i += 1) {
    if (await check()) return
    // setInterval is left real by the fake timers here.
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        clearInterval(tick)
        resolve()
      }, 1)
    })
  }
  throw new Error('condition not reached')
}
