import { createPinia, setActivePinia } from 'pinia'
import { effectScope, reactive } from 'vue'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { getDatabase, openDatabase, setAppDatabase } from '../../../../renderer/src/db/database'
import { upsertFromServer } from '../../../../renderer/src/db/users-repository'
import { serverUser, waitUntil } from '../../../support/sync/fixtures'

const sync = reactive({ overview: { reconcile: null } })
vi.mock('../../../../renderer/src/stores/sync', () => ({ useSyncStore: () => sync }))

const { useUsersListStore } = await import('../../../../renderer/src/stores/users-list')
// The app opens its API target's database at start; here, one of its own.
setAppDatabase(openDatabase('users-list-search-ready'))

describe('users list store before the search index is there', () => {
  const scope = effectScope()
  afterEach(() => scope.stop())

  it('says search is getting ready until the index is there, then answers the search', async () => {
    const db = getDatabase()
    for (const lastName of ['Neumann', 'Adler']) await upsertFromServer(db, serverUser({ last_name: lastName, first_name: 'Eva' }), 1)
    setActivePinia(createPinia())
    const list = scope.run(() => useUsersListStore())!
    // The plain list by name needs no index; a search asked before any index is there says so.
    expect(list.searchGettingReady).toBe(false)
    list.search = 'neu'
    expect(list.searchGettingReady).toBe(true)
    await waitUntil(() => list.shownSearch === 'neu', 10_000, 'the search answered')
    expect(list.searchGettingReady).toBe(false)
    expect(list.page.items.map((i) => i.row.name)).toEqual(['neumann eva'])
    list.search = ''
    await waitUntil(() => list.shownSearch === '', 10_000, 'the list by name')
    expect(list.page.items.map((i) => i.row.name)).toEqual(['adler eva', 'neumann eva'])
  })
})
