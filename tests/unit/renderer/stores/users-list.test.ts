import { createPinia, getActivePinia, setActivePinia } from 'pinia'
import { effectScope, nextTick, reactive } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { UserListPage, UserListQuery } from '../../../../renderer/src/db/queries'

/** Each read waits until the test answers it, so answers can arrive in any order. */
const reads: { query: UserListQuery; answer: (page: UserListPage) => void }[] = []
const sync = reactive({ overview: { reconcile: { fetched: 0, done: false } as { fetched: number; done: boolean } | null } })

vi.mock('../../../../renderer/src/db/queries', () => ({
  listUsers: (query: UserListQuery) => new Promise<UserListPage>((answer) => reads.push({ query, answer })),
}))
vi.mock('../../../../renderer/src/stores/sync', () => ({ useSyncStore: () => sync }))

const { useUsersListStore } = await import('../../../../renderer/src/stores/users-list')
const { openDatabase, setAppDatabase } = await import('../../../../renderer/src/db/database')
// The store listens to the app database's index changes; the reads themselves are the mock above.
setAppDatabase(openDatabase('users-list-store-test'))

const pageOf = (total: number): UserListPage => ({ items: [], total })
const settle = async () => {
  for (let i = 0; i < 5; i += 1) await nextTick()
  await new Promise((resolve) => setTimeout(resolve, 0))
}
const readFor = (search: string | undefined, from = 0) => {
  const read = reads.slice(from).find((r) => r.query.search === search)
  if (read === undefined) throw new Error(`no read for ${String(search)}`)
  return read
}

describe('users list store: the newest query wins', () => {
  const scope = effectScope()
  beforeEach(() => {
    reads.length = 0
    sync.overview.reconcile = { fetched: 0, done: false }
    setActivePinia(createPinia())
  })
  afterEach(() => scope.stop())

  it('never lets an older answer replace a newer one, even the reconcile’s extra read', async () => {
    const list = scope.run(() => useUsersListStore())!
    list.search = 'an'
    await settle()
    // A reconcile page arrives while "an" is shown: the store reads "an" once more.
    sync.overview.reconcile = { fetched: 500, done: false }
    await settle()
    const extra = reads.length - 1
    expect(reads[extra]?.query.search).toBe('an')
    list.search = 'anna'
    await settle()
    readFor('anna').answer(pageOf(7))
    await settle()
    expect([list.shownSearch, list.total]).toEqual(['anna', 7])
    // The older answers come late: both for "an" (the live read and the extra read).
    reads[extra]!.answer(pageOf(900))
    readFor('an').answer(pageOf(900))
    await settle()
    expect([list.shownSearch, list.total]).toEqual(['anna', 7])
  })
})

describe('users list store: the start reads the first page once', () => {
  const scope = effectScope()
  beforeEach(async () => {
    // Stores of earlier tests live in their Pinia, not in a test's scope: stopped, they read no more.
    for (const store of (getActivePinia() as unknown as { _s: Map<string, { $dispose(): void }> })._s.values()) store.$dispose()
    sync.overview.reconcile = null
    await settle()
    reads.length = 0
    setActivePinia(createPinia())
  })
  afterEach(() => scope.stop())

  it('a finished reconcile’s progress, read at start, is no reason to read the page again; a running one’s pages are', async () => {
    scope.run(() => useUsersListStore())
    await settle()
    expect(reads).toHaveLength(1)
    // The sync overview loads after the list asked: the last run ended long ago.
    sync.overview.reconcile = { fetched: 100_000, done: true }
    await settle()
    expect(reads).toHaveLength(1)
    sync.overview.reconcile = { fetched: 1_000, done: false }
    await settle()
    expect(reads).toHaveLength(2)
    // Its end is one more read: the list shows the finished state.
    sync.overview.reconcile = { fetched: 100_000, done: true }
    await settle()
    expect(reads).toHaveLength(3)
  })
})

describe('users list store: rows are placed where their page says', () => {
  const scope = effectScope()
  beforeEach(() => {
    reads.length = 0
    sync.overview.reconcile = null
    setActivePinia(createPinia())
  })
  afterEach(() => scope.stop())

  it('keeps the shown rows at their own offset while the window scrolled far ahead waits for its page', async () => {
    const list = scope.run(() => useUsersListStore())!
    await settle()
    const top = reads.filter((r) => r.query.offset === 0).at(-1)!
    const at = (n: number) => ({ row: { key: `u${n}` }, badge: { pending: 0, failed: 0 } }) as unknown as UserListPage['items'][number]
    top.answer({ items: Array.from({ length: 60 }, (_, i) => at(i)), total: 100_000 })
    await settle()
    // Jumped to the middle: the window moves at once, its rows come with the next answer.
    list.showRange(50_000, 50_018)
    await settle()
    expect(list.windowStart).toBe(49_980)
    // What is shown is still the first page: placed at 0, never as rows 49,980 onwards.
    expect(list.shownStart).toBe(0)
    expect(list.page.items[0]?.row.key).toBe('u0')
    const middle = reads.filter((r) => r.query.offset === 49_980).at(-1)!
    middle.answer({ items: Array.from({ length: 60 }, (_, i) => at(49_980 + i)), total: 100_000 })
    await settle()
    expect(list.shownStart).toBe(49_980)
    expect(list.page.items[20]?.row.key).toBe('u50000')
  })
})
