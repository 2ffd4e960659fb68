/**
 * One in-memory search index per database (user-search-index.ts): built once from the users
 * table, then kept current by the users repository, which stages each row it writes here.
 * A staged change is applied when its transaction commits (a rolled-back write never shows),
 * or after the build when it was staged while the table was being read.
 */
import Dexie from 'dexie'
import { primaryConnection, type OutpostDb } from './database'
import { UserSearchIndex, type IndexedUser } from './user-search-index'

export type IndexChange = { readonly put: IndexedUser } | { readonly delete: string }

interface IndexState {
  index: UserSearchIndex | null
  loading: Promise<UserSearchIndex> | null
  /** Changes committed while the build reads the table; applied over what it read. */
  duringBuild: IndexChange[]
  readonly listeners: Set<() => void>
}

/** Rows read per transaction while building: short transactions never hold writers back long. */
const BUILD_CHUNK = 2_000

const states = new WeakMap<OutpostDb, IndexState>()
/** The native transaction's part used here (declared: this module also compiles without the DOM library). */
interface NativeTransaction {
  addEventListener(type: 'complete', listener: () => void): void
}
const staged = new WeakMap<NativeTransaction, IndexChange[]>()

function stateOf(db: OutpostDb): IndexState {
  const primary = primaryConnection(db)
  let state = states.get(primary)
  if (state === undefined) {
    state = { index: null, loading: null, duringBuild: [], listeners: new Set() }
    states.set(primary, state)
  }
  return state
}

/** The index if it is built, else null (the caller may serve a cheaper answer meanwhile). */
export function readyUserIndex(db: OutpostDb): UserSearchIndex | null {
  return stateOf(db).index
}

/** The index, built from the table on first use. */
export function loadUserIndex(db: OutpostDb): Promise<UserSearchIndex> {
  const state = stateOf(db)
  if (state.index !== null) return Promise.resolve(state.index)
  // Outside any caller's transaction or live query: the build reads the whole table once.
  state.loading ??= Dexie.ignoreTransaction(() => build(primaryConnection(db), state)).catch((error: unknown) => {
    state.loading = null
    throw error
  })
  return state.loading
}

async function build(db: OutpostDb, state: IndexState): Promise<UserSearchIndex> {
  const index = new UserSearchIndex()
  let after: string | undefined
  for (;;) {
    const chunk = await (after === undefined ? db.users.orderBy(':id') : db.users.where(':id').above(after)).limit(BUILD_CHUNK).toArray()
    for (const row of chunk) index.put(row)
    if (chunk.length < BUILD_CHUNK) break
    after = chunk.at(-1)!.key
  }
  for (const change of state.duringBuild) applyTo(index, change)
  state.duringBuild = []
  state.index = index
  notify(state)
  return index
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
    apply(state, [change])
    return
  }
  let changes = staged.get(tx)
  if (changes === undefined) {
    changes = []
    staged.set(tx, changes)
    const pending = changes
    tx.addEventListener('complete', () => apply(state, pending))
  }
  changes.push(change)
}

function apply(state: IndexState, changes: readonly IndexChange[]): void {
  if (state.index === null) {
    // Not built yet: a build under way reads the table and applies these after it; a build
    // that has not started reads the committed rows anyway.
    if (state.loading !== null) state.duringBuild.push(...changes)
    return
  }
  for (const change of changes) applyTo(state.index, change)
  notify(state)
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
