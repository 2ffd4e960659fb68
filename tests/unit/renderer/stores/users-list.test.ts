import { createPinia, setActivePinia } from 'pinia'
import { effectScope, nextTick, reactive } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { UserListPage, UserListQuery } from '../../../../renderer/src/db/queries'

/** Each read waits until the test answers it, so answers can arrive in any order. */
const reads: { query: UserListQuery; answer: (page: UserListPage) => void }[] = []
const sync = reactive({ overview: { reconcile: { fetched: 0 } as { fetched: number } | null } })

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
    sync.overview.reconcile = { fetched: 0 }
    setActivePinia(createPinia())
  })
  afterEach(() => scope.stop())

  it('never lets an older answer replace a newer one, even the reconcile’s extra read', async () => {
    const list = scope.run(() => useUsersListStore())!
    list.search = 'an'
    await settle()
    // A reconcile page arrives while "an" is shown: the store reads "an" once more.
    sync.overview.reconcile = { fetched: 500 }
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
