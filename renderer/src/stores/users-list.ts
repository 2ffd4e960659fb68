/**
 * The users list: search text, filters and sort chosen by the person, and the window of
 * rows the virtual list shows. Only that window is read (liveQuery paging), never the
 * whole table; the window is widened to whole chunks so scrolling re-queries rarely.
 */
import { defineStore } from 'pinia'
import { computed, nextTick, ref, watch } from 'vue'
import { assertNever } from '../../../shared/assert-never'
import type { UserStatus } from '../../../shared/schemas/user'
import { useLiveQuery, type LiveRef } from '../composables/use-live-query'
import { getDatabase } from '../db/database'
import { listUsers, type UserListPage, type UserListQuery } from '../db/queries'
import { onUserIndexChange, saveUserIndexSnapshot, servingUserIndex, startUserIndex } from '../db/user-index'
import { firstScreenShown } from './first-screen'
import { listPendingUsers } from './pending-users'
import { useSyncStore } from './sync'

export const LIST_SORTS = ['name', 'city', 'created', 'updated'] as const
export type ListSort = (typeof LIST_SORTS)[number]

/** Shorter searches match most of a large cache and cost more than they help. */
export const MIN_SEARCH_CHARS = 2

/** Rows fetched per chunk: the window always covers whole chunks. */
export const WINDOW_CHUNK = 60

/** Names and cities read A to Z first; dates newest first. */
export function defaultDescending(sort: ListSort): boolean {
  switch (sort) {
    case 'name':
    case 'city':
      return false
    case 'created':
    case 'updated':
      return true
    default:
      return assertNever(sort, 'sort')
  }
}

function sortQuery(sort: ListSort, descending: boolean): Pick<UserListQuery, 'sort' | 'order'> {
  const order = descending ? 'desc' : 'asc'
  switch (sort) {
    case 'name':
    case 'city':
      return { sort, order }
    case 'created':
      return { sort: 'created_at', order }
    case 'updated':
      return { sort: 'updated_at', order }
    default:
      return assertNever(sort, 'sort')
  }
}

/** Whether only the search index can answer `query` (the plain list by name can do without). */
function needsIndex(query: UserListQuery): boolean {
  return query.search !== undefined || query.status !== undefined || query.sort !== 'name' || query.order === 'desc'
}

/** Users changed elsewhere in the list are read again at most this often. */
const USERS_CHANGED_THROTTLE_MS = 100

/**
 * A page with the search text and the list position it answers: the screen places its rows
 * by the page's own offset, never by the window asked for since (its rows are not there yet).
 */
export type ShownPage = UserListPage & { readonly search: string; readonly offset: number }

/** Resolves after the DOM update now pending has been painted (at once where nothing paints). */
async function afterNextPaint(): Promise<void> {
  await nextTick()
  const frame = globalThis.requestAnimationFrame
  if (frame === undefined) return
  await new Promise<void>((resolve) => frame(() => setTimeout(resolve, 0)))
}

export const useUsersListStore = defineStore('usersList', () => {
  const search = ref('')
  const status = ref<UserStatus | ''>('')
  const pendingOnly = ref(false)
  const sort = ref<ListSort>('name')
  const descending = ref(false)
  const windowStart = ref(0)
  // One chunk covers what a screen shows at the top; starting wider made the first read
  // fetch twice the rows, then read again when the list asked for its range.
  const windowSize = ref(WINDOW_CHUNK)

  const query = computed<UserListQuery>(() => ({
    ...sortQuery(sort.value, descending.value),
    ...(status.value === '' ? {} : { status: status.value }),
    ...(search.value.trim().length < MIN_SEARCH_CHARS ? {} : { search: search.value.trim() }),
    offset: windowStart.value,
    limit: windowSize.value,
  }))

  const sync = useSyncStore()
  // The live query watches the rows it shows; rows added, removed or moved elsewhere are
  // announced by the search index (the users repository stages every write there).
  const usersChanged = ref(0)
  const db = getDatabase()
  let throttle: ReturnType<typeof setTimeout> | null = null
  /** Search, filters and other sorts can answer (the saved or the built index is there). */
  const searchReady = ref(servingUserIndex(db) !== null)
  onUserIndexChange(db, () => {
    searchReady.value = servingUserIndex(db) !== null
    throttle ??= setTimeout(() => {
      throttle = null
      usersChanged.value += 1
    }, USERS_CHANGED_THROTTLE_MS)
  })

  // The first rows come from the name index; the saved index is read after them, and the
  // index is built from the table after that unless the saved one is current (outside any
  // live query). A search or another sort asked for before then reads the snapshot at once,
  // or waits for the build.
  let firstRowsShown!: () => void
  const firstRows = new Promise<void>((resolve) => (firstRowsShown = resolve))
  void startUserIndex(db, firstRows, firstRows)
  // A clean stop keeps the newest index for the next start (best effort: a cache).
  if (typeof window !== 'undefined') window.addEventListener('pagehide', () => void saveUserIndexSnapshot(db))

  /** The inputs the shown page must answer; an answer to other inputs is stale. */
  const current = computed(() => JSON.stringify([query.value, pendingOnly.value]))
  const page: LiveRef<ShownPage> = useLiveQuery<ShownPage>(
    () => {
      const q = query.value
      const asked = current.value
      const read = pendingOnly.value ? listPendingUsers : listUsers
      return async (): Promise<ShownPage> => {
        // The person typed on: a newer query owns the list. Skip the read if it has not
        // started, and never let an older answer (e.g. a reconcile's extra read) replace a
        // newer one: keep what is shown.
        if (asked !== current.value) return page.value.value
        const result = { ...(await read(q)), search: q.search ?? '', offset: q.offset ?? 0 }
        return asked === current.value ? result : page.value.value
      }
    },
    { items: [], total: 0, search: '', offset: 0 },
    // Each page a running reconcile fetched, each change of users: read again, so the list
    // fills up visibly meanwhile. A finished run's progress, read at start, is no news.
    () => `${sync.overview.reconcile?.done === false ? sync.overview.reconcile.fetched : 'idle'}:${usersChanged.value}`,
  )

  const stopWaiting = watch(page.ready, (ready) => {
    if (!ready) return
    stopWaiting()
    performance.mark('outpost:first-page-read')
    // Once the rows are painted: reading the saved index (one large value, parsed on this
    // thread) and the sync engine's start would otherwise hold that frame back.
    void afterNextPaint().then(() => {
      firstRowsShown()
      firstScreenShown()
    })
  })

  /** The virtual list asks for rows [first, last); fetch the chunks around them. */
  function showRange(first: number, last: number): void {
    const start = Math.max(0, Math.floor(first / WINDOW_CHUNK) * WINDOW_CHUNK)
    const end = Math.ceil(Math.max(last, first + 1) / WINDOW_CHUNK) * WINDOW_CHUNK
    if (start !== windowStart.value) windowStart.value = start
    if (end - start !== windowSize.value) windowSize.value = end - start
  }

  /** A column header clicked: the same column turns its order round, another starts in its usual order. */
  function sortBy(next: ListSort): void {
    if (next === sort.value) descending.value = !descending.value
    else {
      sort.value = next
      descending.value = defaultDescending(next)
    }
  }

  /** The sort chosen from the menu, in its usual order. */
  function chooseSort(next: ListSort): void {
    sort.value = next
    descending.value = defaultDescending(next)
  }

  function resetWindow(): void {
    windowStart.value = 0
  }

  return {
    search,
    status,
    pendingOnly,
    sort,
    descending,
    sortBy,
    chooseSort,
    windowStart,
    page: page.value,
    ready: page.ready,
    searchReady,
    /** The person asked for a search, filter or sort the index must answer, and it is not there yet. */
    searchGettingReady: computed(() => !searchReady.value && !pendingOnly.value && needsIndex(query.value)),
    error: page.error,
    total: computed(() => page.value.value.total),
    /** The (trimmed) search text the shown rows answer; lags `search` while a query runs. */
    shownSearch: computed(() => page.value.value.search),
    /** Where the shown rows start in the list (the window asked for may be ahead of it). */
    shownStart: computed(() => page.value.value.offset),
    showRange,
    resetWindow,
  }
})
