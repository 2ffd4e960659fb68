/**
 * One in-memory search index per database (user-search-index.ts): built once from the users
 * table, then kept current by the users repository, which stages each row it writes here.
 * A staged change is applied when its transaction commits (a rolled-back write never shows),
 * or after the build when it was staged while the table was being read.
 *
 * Stale while revalidating: at start the saved snapshot (user-index-snapshot.ts) is read in
 * one go and serves the list until the build from the table replaces it. A snapshot may name
 * a user removed since (the list skips rows it cannot read) or miss one added since (shown
 * once the build is done). The built index is saved again after the build and then at most
 * every SNAPSHOT_SAVE_DELAY_MS while users change.
 *
 * A snapshot known to be current is not rebuilt at all: a save made while no write to users
 * was under way, and followed by none, leaves a marker naming it (in localStorage: shared by
 * the app's windows and written at once, no transaction). Every write removes the marker
 * before it starts and again when it commits, so after a crash, or with another window
 * writing, the snapshot is only a stale answer until the rebuild, never the truth.
 */
import Dexie from 'dexie'
import { primaryConnection, type OutpostDb } from './database'
import { readUserIndexSnapshot, writeUserIndexSnapshot } from './user-index-snapshot'
import { UserSearchIndex, type IndexedUser } from './user-search-index'

export type IndexChange = { readonly put: IndexedUser } | { readonly delete: string }

interface IndexState {
  /** Built from the table: the truth (the reconcile and its sweep use only this one). */
  index: UserSearchIndex | null
  loading: Promise<UserSearchIndex> | null
  /**
   * Changes committed while the build reads the table, or before the snapshot is read; applied
   * over what the build read, or over the snapshot when it is current.
   */
  duringBuild: IndexChange[]
  /** The snapshot is read (or found missing or unusable). */
  snapshotSettled: boolean
  /** The marker as this window found it, before any write of its own removed it. */
  readonly markerAtStart: CurrentMarker | null
  /** The saved snapshot, serving the list until the build is done (then null). */
  snapshot: UserSearchIndex | null
  /** Settles once the snapshot is read (it then serves, if usable); holds no index itself. */
  snapshotLoading: Promise<void> | null
  saveTimer: ReturnType<typeof setTimeout> | null
  unsaved: boolean
  /** List reads in flight, and the build waiting for them to end (see beginListRead). */
  listReads: number
  readsEnded: (() => void)[]
  readonly listeners: Set<() => void>
  /** Writes to users begun and not yet staged or failed, and transactions staged and not yet ended. */
  openWrites: number
  openTransactions: number
  /** Counts every write begun and every change applied: a save sees whether any came between. */
  activity: number
  /** To and from the other windows on this database; null where there is no BroadcastChannel. */
  channel: ChangeChannel | null
}

/** Rows read per transaction while building: short transactions never hold writers back long. */
const BUILD_CHUNK = 2_000

/** The snapshot is saved this long after the build or the first unsaved change: off the hot path, never more often. */
export const SNAPSHOT_SAVE_DELAY_MS = 30_000

const states = new WeakMap<OutpostDb, IndexState>()
/** The native transaction's part used here (declared: this module also compiles without the DOM library). */
interface NativeTransaction {
  addEventListener(type: 'complete' | 'abort', listener: () => void): void
}
const staged = new WeakMap<NativeTransaction, IndexChange[]>()

function stateOf(db: OutpostDb): IndexState {
  const primary = primaryConnection(db)
  let state = states.get(primary)
  if (state === undefined) {
    state = {
      index: null,
      loading: null,
      duringBuild: [],
      snapshotSettled: false,
      markerAtStart: readCurrentMarker(primary.name),
      snapshot: null,
      snapshotLoading: null,
      saveTimer: null,
      unsaved: false,
      listReads: 0,
      readsEnded: [],
      listeners: new Set(),
      openWrites: 0,
      openTransactions: 0,
      activity: 0,
      channel: null,
    }
    const own = state
    own.channel = openChangeChannel(primary.name, (changes) => apply(primary, own, changes))
    states.set(primary, state)
  }
  return state
}

/** The index if it is built, else null (the caller may serve a cheaper answer meanwhile). */
export function readyUserIndex(db: OutpostDb): UserSearchIndex | null {
  return stateOf(db).index
}

/**
 * How many users the table holds, known without counting them: while nothing was written since
 * this start and the snapshot was current then. Else null (count the table).
 */
export function knownUserCount(db: OutpostDb): number | null {
  const state = stateOf(db)
  if (state.index !== null) return state.index.size
  return state.activity === 0 ? (state.markerAtStart?.count ?? null) : null
}

/** What the list may answer from now: the built index, else the loaded snapshot, else null. */
export function servingUserIndex(db: OutpostDb): UserSearchIndex | null {
  const state = stateOf(db)
  return state.index ?? state.snapshot
}

/**
 * The start: reads the saved snapshot once `readAfter` resolves (resolves once it serves, or
 * is found missing or unusable), then, unless the snapshot is current, builds the index from
 * the table once `buildAfter` resolves. The app passes its first rows shown for both: the
 * list by name needs neither, and reading a snapshot of 100,000 users would compete with it
 * (a search typed before then reads it at once, see usableUserIndex).
 */
export function startUserIndex(
  db: OutpostDb,
  buildAfter: Promise<unknown> = Promise.resolve(),
  readAfter: Promise<unknown> = Promise.resolve(),
): Promise<void> {
  const snapshotRead = readAfter.then(() => loadSnapshot(db))
  void snapshotRead
    .then(() => buildAfter)
    .then(() => whenIdle(() => servingUserIndex(db)?.indexWords()))
    .then(() => loadUserIndex(db))
    .then((index) => whenIdle(() => index.indexWords()))
    .catch((error: unknown) => console.warn('users: search index not built', error))
  return snapshotRead
}

/** Runs `work` when the page has nothing else to do (soon, where there is no idle callback). */
function whenIdle(work: () => void): Promise<void> {
  const idle = (globalThis as unknown as { requestIdleCallback?: (run: () => void, options: { timeout: number }) => void })
    .requestIdleCallback
  return new Promise<void>((resolve) => {
    const run = () => {
      work()
      resolve()
    }
    if (idle === undefined) setTimeout(run, 0)
    else idle(run, { timeout: 2_000 })
  })
}

function loadSnapshot(db: OutpostDb): Promise<void> {
  const state = stateOf(db)
  state.snapshotLoading ??= Dexie.ignoreTransaction(() => readUserIndexSnapshot(primaryConnection(db)))
    .catch((error: unknown) => {
      console.warn('users: saved search index not read', error)
      return null
    })
    .then((saved) => {
      performance.mark('outpost:snapshot-read')
      // A build that finished first is newer: the snapshot is then of no use.
      state.snapshotSettled = true
      if (saved !== null && state.index === null && state.markerAtStart?.savedAt === saved.savedAt) {
        // Saved with nothing written before this start: with this start's own changes applied, it is the index.
        for (const change of state.duringBuild.splice(0)) applyTo(saved.index, change)
        state.index = saved.index
        notify(state)
        return
      }
      // Without a build under way, the changes kept meanwhile are in the table it will read.
      if (state.loading === null) state.duringBuild = []
      if (saved === null || state.index !== null) return
      state.snapshot = saved.index
      notify(state)
    })
  return state.snapshotLoading
}

/**
 * An index to answer from as soon as there is one: the built one or the snapshot, else the
 * snapshot being read, else the build (started if needed).
 */
export async function usableUserIndex(db: OutpostDb): Promise<UserSearchIndex> {
  const state = stateOf(db)
  const serving = servingUserIndex(db)
  if (serving !== null) return serving
  if (state.index === null) await loadSnapshot(db)
  return servingUserIndex(db) ?? loadUserIndex(db)
}

/** The index: the current snapshot if there is one (see the header), else built from the table on first use. */
export function loadUserIndex(db: OutpostDb): Promise<UserSearchIndex> {
  const state = stateOf(db)
  if (state.index !== null) return Promise.resolve(state.index)
  if (state.loading === null && state.snapshotLoading === null) {
    state.loading = loadSnapshot(db).then(() => {
      state.loading = null
      return loadUserIndex(db)
    })
  }
  // Outside any caller's transaction or live query: the build reads the whole table once.
  state.loading ??= Dexie.ignoreTransaction(() => build(primaryConnection(db), state)).catch((error: unknown) => {
    state.loading = null
    throw error
  })
  return state.loading
}

/**
 * Marks a list read (its rows and badges) in flight; call the returned function when it is
 * done. While a snapshot serves, the build reads its next chunk only between list reads, so a
 * search typed during the rebuild is not queued behind it.
 */
export function beginListRead(db: OutpostDb): () => void {
  const state = stateOf(db)
  state.listReads += 1
  let ended = false
  return () => {
    if (ended) return
    ended = true
    state.listReads -= 1
    if (state.listReads === 0) for (const resume of state.readsEnded.splice(0)) resume()
  }
}

async function betweenListReads(state: IndexState): Promise<void> {
  // Without a snapshot a search waits for the build: it must not wait for that search.
  while (state.listReads > 0 && state.snapshot !== null) await new Promise<void>((resume) => state.readsEnded.push(resume))
}

async function build(db: OutpostDb, state: IndexState): Promise<UserSearchIndex> {
  const index = new UserSearchIndex()
  let after: string | undefined
  for (;;) {
    await betweenListReads(state)
    const chunk = await (after === undefined ? db.users.orderBy(':id') : db.users.where(':id').above(after)).limit(BUILD_CHUNK).toArray()
    for (const row of chunk) index.put(row)
    if (chunk.length < BUILD_CHUNK) break
    after = chunk.at(-1)!.key
  }
  for (const change of state.duringBuild) applyTo(index, change)
  state.duringBuild = []
  state.index = index
  state.snapshot = null
  performance.mark('outpost:index-built')
  notify(state)
  scheduleSave(db, state)
  return index
}

function scheduleSave(db: OutpostDb, state: IndexState): void {
  state.unsaved = true
  state.saveTimer ??= setTimeout(() => {
    state.saveTimer = null
    saveUserIndexSnapshot(db).catch((error: unknown) => console.warn('users: search index not saved', error))
  }, SNAPSHOT_SAVE_DELAY_MS)
}

/** Saves the built index as the snapshot now, if it changed since the last save (also on a clean stop). */
export async function saveUserIndexSnapshot(db: OutpostDb): Promise<void> {
  const state = stateOf(db)
  if (state.index === null || !state.unsaved) return
  state.unsaved = false
  const primary = primaryConnection(db)
  if (!primary.isOpen()) return
  const quiet = () => state.openWrites === 0 && state.openTransactions === 0
  const before = state.activity
  const quietBefore = quiet()
  const savedAt = Date.now()
  await Dexie.ignoreTransaction(() => writeUserIndexSnapshot(primary, state.index!, savedAt))
  // Current only if no write was under way when it was taken and none came since.
  if (quietBefore && quiet() && state.activity === before) writeCurrentMarker(primary.name, { savedAt, count: state.index.size })
}

/**
 * Called by the users repository before each write: the saved snapshot is no longer current.
 * Returns the function to call once the write is staged (or failed).
 */
export function beginUserWrite(db: OutpostDb): () => void {
  const state = stateOf(db)
  state.openWrites += 1
  state.activity += 1
  forgetCurrentMarker(primaryConnection(db).name)
  let ended = false
  return () => {
    if (ended) return
    ended = true
    state.openWrites -= 1
  }
}

/**
 * Records a users-table write for the index: applied when the current transaction commits
 * (or at once outside a transaction, the write having resolved).
 */
export function stageUserIndex(db: OutpostDb, change: IndexChange): void {
  const state = stateOf(db)
  // The native transaction: a nested Dexie transaction shares its parent's, which commits.
  const tx = (Dexie.currentTransaction as { idbtrans?: NativeTransaction | null } | null)?.idbtrans ?? null
  if (tx === null) {
    commit(db, state, [change])
    return
  }
  let changes = staged.get(tx)
  if (changes === undefined) {
    changes = []
    staged.set(tx, changes)
    const pending = changes
    state.openTransactions += 1
    tx.addEventListener('complete', () => {
      commit(db, state, pending)
      state.openTransactions -= 1
    })
    // A transaction ends in one of the two ('error' may come before either: not an end).
    tx.addEventListener('abort', () => (state.openTransactions -= 1))
  }
  changes.push(change)
}

/** A committed batch: applied here, and told to the other windows on this database. */
function commit(db: OutpostDb, state: IndexState, changes: readonly IndexChange[]): void {
  apply(db, state, changes)
  state.channel?.postMessage(changes)
}

/** The part of BroadcastChannel used here (declared: this module also compiles without the DOM library). */
interface ChangeChannel {
  postMessage(message: unknown): void
  onmessage: ((event: { readonly data: unknown }) => void) | null
  unref?: () => void
}

const isIndexChange = (value: unknown): value is IndexChange =>
  typeof value === 'object' &&
  value !== null &&
  (typeof (value as { delete?: unknown }).delete === 'string' || typeof (value as { put?: { key?: unknown } }).put?.key === 'string')

/**
 * Other windows of the app on the same database (web host tabs) write users too: each
 * committed batch is broadcast, so every window's index follows every window's writes.
 */
function openChangeChannel(databaseName: string, receive: (changes: IndexChange[]) => void): ChangeChannel | null {
  const Channel = (globalThis as unknown as { BroadcastChannel?: new (name: string) => ChangeChannel }).BroadcastChannel
  if (Channel === undefined) return null
  const channel = new Channel(`outpost-user-index:${databaseName}`)
  channel.onmessage = (event) => {
    if (Array.isArray(event.data)) receive(event.data.filter(isIndexChange))
  }
  // Node (tests): a listening channel must not keep the process alive.
  channel.unref?.()
  return channel
}

function apply(db: OutpostDb, state: IndexState, changes: readonly IndexChange[]): void {
  state.activity += 1
  forgetCurrentMarker(primaryConnection(db).name)
  if (state.index === null) {
    // Not built yet: a build under way reads the table and applies these after it; a build
    // that has not started reads the committed rows anyway. A snapshot serving meanwhile
    // follows them too.
    if (state.loading !== null || !state.snapshotSettled) state.duringBuild.push(...changes)
    if (state.snapshot === null) return
    for (const change of changes) applyTo(state.snapshot, change)
    notify(state)
    return
  }
  for (const change of changes) applyTo(state.index, change)
  notify(state)
  scheduleSave(db, state)
}

function applyTo(index: UserSearchIndex, change: IndexChange): void {
  if ('put' in change) index.put(change.put)
  else index.delete(change.delete)
}

function notify(state: IndexState): void {
  for (const listener of state.listeners) listener()
}

/** Calls `listener` after each committed batch of user changes (and once the index is built). */
export function onUserIndexChange(db: OutpostDb, listener: () => void): () => void {
  const state = stateOf(db)
  state.listeners.add(listener)
  return () => state.listeners.delete(listener)
}

/** The part of localStorage used for the marker; null where there is none (Node, tests). */
interface MarkerStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

function markerStore(): MarkerStore | null {
  try {
    return (globalThis as unknown as { localStorage?: MarkerStore }).localStorage ?? null
  } catch {
    // Storage switched off: no snapshot is ever taken as current.
    return null
  }
}

const markerKey = (databaseName: string) => `outpost-user-index-current:${databaseName}`

/** Which snapshot is current, and how many users it holds (the table's exact count then). */
interface CurrentMarker {
  readonly savedAt: number
  readonly count: number
}

function readCurrentMarker(databaseName: string): CurrentMarker | null {
  const [savedAt, count] = (markerStore()?.getItem(markerKey(databaseName)) ?? '').split(' ').map(Number)
  return Number.isSafeInteger(savedAt) && Number.isSafeInteger(count) && count! >= 0 ? { savedAt: savedAt!, count: count! } : null
}

function writeCurrentMarker(databaseName: string, marker: CurrentMarker): void {
  markerStore()?.setItem(markerKey(databaseName), `${marker.savedAt} ${marker.count}`)
}

function forgetCurrentMarker(databaseName: string): void {
  const store = markerStore()
  const key = markerKey(databaseName)
  // Read first: a write per user write would cost more than the check.
  if (store !== null && store.getItem(key) !== null) store.removeItem(key)
}
