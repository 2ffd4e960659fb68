/**
 * The one writer of cached user rows. Server truth (an API answer, an event, a read-back, a
 * reconcile page) never moves a row backwards; local drafts, their re-key to the server id
 * and the local "offboarding" overlay are written here too. Every function runs inside the
 * caller's transaction (which must include `users`), so a row changes together with the
 * outbox step or event that explains it. Each write is also staged for the in-memory search
 * index (user-index.ts), which sees it when the transaction commits.
 */
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import type { User } from '../../../shared/schemas/user'
import type { OutpostDb } from './database'
import { isLocalKey, type UserRow } from './rows'
import { beginUserWrite, loadUserIndex, readyUserIndex, stageUserIndex, type IndexChange } from './user-index'
import { isNewer, rowFromDraft, rowFromServerUser } from './user-row'

/** Every write to users goes through here: the index hears of it before it starts and sees it once staged. */
async function written(db: OutpostDb, changes: readonly IndexChange[], write: () => Promise<unknown>): Promise<void> {
  const end = beginUserWrite(db)
  try {
    await write()
    for (const change of changes) stageUserIndex(db, change)
  } finally {
    end()
  }
}

function put(db: OutpostDb, row: UserRow): Promise<void> {
  return written(db, [{ put: row }], () => db.users.put(row))
}

function remove(db: OutpostDb, key: string): Promise<void> {
  return written(db, [{ delete: key }], () => db.users.delete(key))
}

/** Upserts a server user without ever moving the cached row backwards; true when the row took it. */
export async function upsertFromServer(db: OutpostDb, user: User, now: number): Promise<boolean> {
  const existing = await db.users.get(user.id)
  if (!isNewer(user, existing)) return false
  await put(db, rowFromServerUser(user, existing?.seenRun ?? 0, now))
  return true
}

/** A queued create's local row (new, or its body edited; an edit keeps the row's creation time). */
export async function putDraft(db: OutpostDb, localKey: string, body: CreateUserBody, now: number): Promise<void> {
  const existing = await db.users.get(localKey)
  const row = rowFromDraft(localKey, body, now)
  await put(db, existing === undefined ? row : { ...row, created_at: existing.created_at })
}

/** Adds a draft row for a new create; fails if the key is taken (a fresh uuid never is). */
export async function addDraft(db: OutpostDb, localKey: string, body: CreateUserBody, now: number): Promise<void> {
  const row = rowFromDraft(localKey, body, now)
  await written(db, [{ put: row }], () => db.users.add(row))
}

/** Puts back a row restored from main's journal, unless the database still has one. */
export async function restoreRow(db: OutpostDb, row: UserRow): Promise<void> {
  if ((await db.users.get(row.key)) !== undefined) return
  await written(db, [{ put: row }], () => db.users.add(row))
}

export async function exists(db: OutpostDb, key: string): Promise<boolean> {
  return (await db.users.get(key)) !== undefined
}

/**
 * A create answered: the server row replaces the local draft (never a newer copy an event
 * already brought). Pass the row already read when the caller has it (one read fewer).
 */
export async function rekeyToServer(
  db: OutpostDb,
  localKey: string,
  user: User,
  now: number,
  existing: UserRow | undefined,
): Promise<void> {
  await Promise.all([
    isNewer(user, existing) ? put(db, rowFromServerUser(user, existing?.seenRun ?? 0, now)) : undefined,
    localKey === user.id ? undefined : remove(db, localKey),
  ])
}

/** An offboarding the API accepted: the row shows OFFBOARDING until the event or a reconcile brings the truth. */
export async function markOffboarding(db: OutpostDb, key: string, now: number): Promise<void> {
  const row = await db.users.get(key)
  if (row === undefined || row.user === null || (row.status !== 'ACTIVE' && row.status !== 'INACTIVE')) return
  await put(db, { ...row, status: 'OFFBOARDING', user: { ...row.user, status: 'OFFBOARDING' }, touchedAt: now })
}

/** A user that only ever existed here (its create was cancelled or discarded). */
export async function removeLocal(db: OutpostDb, key: string): Promise<void> {
  if (isLocalKey(key)) await remove(db, key)
}

/**
 * One page of a reconcile: each user stored, unless an event already brought a newer copy
 * (then that copy is only marked as seen by this run). Only rows the index knows are read
 * back (load the index before the transaction): a first reconcile writes without reading. `run` 0 leaves each row's seen-run as it
 * was (a reconcile that reads only changes does not sweep).
 */
export async function putReconcilePage(db: OutpostDb, users: readonly User[], run: number): Promise<void> {
  if (users.length === 0) return
  const index = readyUserIndex(db)
  // A first read in this transaction: every earlier write to users has committed, so the
  // index has seen it, before it is asked which rows exist. Without the index, all are read.
  const first = await db.users.get(users[0]!.id)
  const known = users.slice(1).filter((user) => index === null || index.has(user.id))
  const read = await db.users.bulkGet(known.map((user) => user.id))
  const existing = new Map<string, UserRow>()
  if (first !== undefined) existing.set(first.key, first)
  for (const row of read) if (row !== undefined) existing.set(row.key, row)
  const rows: UserRow[] = users.map((user) => {
    const current = existing.get(user.id)
    const seenRun = run === 0 ? (current?.seenRun ?? 0) : run
    return current !== undefined && !isNewer(user, current)
      ? { ...current, seenRun }
      : rowFromServerUser(user, seenRun, current?.touchedAt ?? 0)
  })
  await written(
    db,
    rows.map((row) => ({ put: row })),
    () => db.users.bulkPut(rows),
  )
}

/** Server rows the reconcile run `run` did not see (keys only; checked again by removeUnseen). */
export async function unseenServerKeys(db: OutpostDb, run: number): Promise<string[]> {
  return (await loadUserIndex(db)).keysSeenBefore(run).filter((key) => !isLocalKey(key))
}

/**
 * Removes the given rows if run `run` still has not seen them, nothing touched them since the
 * run began, and they have no outbox entries (a pending action keeps its user). Returns how many.
 */
export async function removeUnseen(db: OutpostDb, keys: readonly string[], run: number, startedAt: number): Promise<number> {
  const rows = (await db.users.bulkGet([...keys])).filter((row): row is UserRow => row !== undefined)
  // Re-checked inside the transaction: an event may have touched the row since the key scan.
  const stale = rows.filter((row) => row.seenRun < run && row.touchedAt < startedAt)
  const pending = new Set(
    (
      await db.outbox
        .where('userKey')
        .anyOf(stale.map((r) => r.key))
        .toArray()
    ).map((e) => e.userKey),
  )
  const doomed = stale.filter((row) => !pending.has(row.key)).map((row) => row.key)
  await written(
    db,
    doomed.map((key) => ({ delete: key })),
    () => db.users.bulkDelete(doomed),
  )
  return doomed.length
}
