/**
 * The engine's write transactions on the outbox, one per step of an entry's life. Each
 * re-reads the entry and does nothing if it changed meanwhile (an event settled it, the
 * person discarded it), so a late answer can never undo a newer decision.
 */
import Dexie from 'dexie'
import type { OutpostDb } from '../db/database'
import { closingRow, interruptedAttemptRows, recordClosingStep } from '../db/history'
import { type OutboxEntry, type OutboxError, type OutboxState } from '../db/rows'
import { isNewer, rowFromServerUser } from '../db/user-row'
import type { User } from '../../../shared/schemas/user'

type Tx = <T>(fn: () => Promise<T>) => Promise<T>

const OUTBOX_TABLES = ['users', 'outbox', 'history']

/**
 * Runs `fn` in a transaction over the outbox tables: the caller's, when a group commit
 * already opened one (a Dexie sub-transaction would lock the group, so that its jobs ran
 * one after another), or a new one.
 */
function outboxTx(db: OutpostDb): Tx {
  return (fn) => {
    const current = Dexie.currentTransaction
    const joinable = current !== null && current.mode === 'readwrite' && OUTBOX_TABLES.every((t) => current.storeNames.includes(t))
    return joinable ? fn() : db.transaction('rw', [db.users, db.outbox, db.history], fn)
  }
}

/** The entry as stored now, if it is still in one of the expected states. */
export async function currentEntry(db: OutpostDb, entryId: string, states: readonly OutboxState[]): Promise<OutboxEntry | undefined> {
  const entry = await db.outbox.where('id').equals(entryId).first()
  return entry !== undefined && states.includes(entry.state) ? entry : undefined
}

/**
 * Marks the entry as handed to the transport; returns it as stored, or undefined to skip.
 * Its "sent" step is written when the attempt ends (see openAttemptSteps).
 */
export async function markSending(db: OutpostDb, entryId: string, now: number): Promise<OutboxEntry | undefined> {
  return outboxTx(db)(async () => {
    const entry = await currentEntry(db, entryId, ['queued', 'sending', 'awaiting'])
    if (entry === undefined) return undefined
    const next = {
      ...entry,
      state: 'sending',
      attempts: entry.attempts + 1,
      firstSentAt: entry.firstSentAt ?? now,
      updatedAt: now,
    } as OutboxEntry
    // Left "sending" by a crash or a closed tab: that attempt's step goes in now.
    const interrupted = interruptedAttemptRows(entry)
    await Promise.all([db.outbox.put(next), interrupted.length > 0 ? db.history.bulkAdd(interrupted) : undefined])
    return next
  })
}

/** Upserts a server user without ever moving the cached row backwards. */
export async function upsertServerUser(db: OutpostDb, user: User, now: number): Promise<void> {
  const existing = await db.users.get(user.id)
  if (!isNewer(user, existing)) return
  await db.users.put(rowFromServerUser(user, existing?.seenRun ?? 0, now))
}

/**
 * The create answered: the server row replaces the local one and the entry's later entries
 * move to the server id, all in one transaction (rule 3). Its history stays under the local
 * key; the `rekeyed` step links the two (see getUserHistory).
 */
export async function commitCreated(db: OutpostDb, entryId: string, localKey: string, user: User, now: number): Promise<void> {
  await outboxTx(db)(async () => {
    // One read finds the entry and its later entries (the lane); independent requests are
    // issued together, so a create costs few round trips.
    const [lane, existing] = await Promise.all([db.outbox.where('userKey').equals(localKey).toArray(), db.users.get(user.id)])
    const entry = lane.find((e) => e.id === entryId)
    const writes: Array<Promise<unknown>> = []
    if (isNewer(user, existing)) writes.push(db.users.put(rowFromServerUser(user, existing?.seenRun ?? 0, now)))
    if (entry !== undefined) {
      writes.push(db.outbox.delete(entry.seq!))
      const applied = closingRow({ ...entry, userKey: user.id }, 'applied', now, `created as ${user.id}`)
      writes.push(db.history.add(localKey === user.id ? applied : { ...applied, rekeyedTo: user.id }))
    }
    if (localKey !== user.id) {
      writes.push(db.users.delete(localKey))
      const dependents = lane.filter((e) => e.id !== entryId).map((e) => ({ ...e, userKey: user.id }))
      if (dependents.length > 0) writes.push(db.outbox.bulkPut(dependents))
    }
    await Promise.all(writes)
  })
}

/** A data change accepted (202 or already pending): wait for its event or a read-back. */
export async function commitAccepted(db: OutpostDb, entryId: string, now: number, detail: string): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await currentEntry(db, entryId, ['sending'])
    if (entry === undefined) return
    await db.outbox.put({ ...entry, state: 'awaiting', acceptedAt: now, lastError: null, updatedAt: now })
    await recordClosingStep(db, entry, 'accepted', now, detail)
  })
}

/** Finished: the entry leaves the outbox; an offboarding marks the cached user. */
export async function commitDone(db: OutpostDb, entryId: string, now: number, detail: string, user?: User): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await currentEntry(db, entryId, ['sending', 'awaiting'])
    if (entry === undefined) return
    if (user !== undefined) await upsertServerUser(db, user, now)
    if (entry.kind === 'offboard') {
      const row = await db.users.get(entry.userKey)
      if (row?.user !== null && row !== undefined && (row.status === 'ACTIVE' || row.status === 'INACTIVE')) {
        await db.users.put({ ...row, status: 'OFFBOARDING', user: { ...row.user, status: 'OFFBOARDING' }, touchedAt: now })
      }
    }
    await db.outbox.delete(entry.seq!)
    await recordClosingStep(db, entry, 'applied', now, detail)
  })
}

/** A transient failure: back to the queue, not before `nextAttemptAt`. */
export async function commitRetry(db: OutpostDb, entryId: string, now: number, nextAttemptAt: number, error: OutboxError): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await currentEntry(db, entryId, ['sending', 'awaiting'])
    if (entry === undefined) return
    await db.outbox.put({
      ...entry,
      state: entry.state === 'awaiting' ? 'awaiting' : 'queued',
      nextAttemptAt,
      lastError: error,
      updatedAt: now,
    })
    await recordClosingStep(db, entry, 'retry', now, `${error.message}; next attempt in ${Math.max(0, nextAttemptAt - now)} ms`)
  })
}

/** An awaiting data change whose read-back does not show it yet: wait another round. */
export async function commitStillAwaiting(db: OutpostDb, entryId: string, now: number): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await currentEntry(db, entryId, ['awaiting', 'sending'])
    if (entry === undefined) return
    const closed = interruptedAttemptRows(entry)
    await Promise.all([db.outbox.put({ ...entry, state: 'awaiting', acceptedAt: now, updatedAt: now }), closed.length > 0 ? db.history.bulkAdd(closed) : undefined])
  })
}

/** A permanent failure: the lane stops until the person edits, retries or discards. */
export async function commitPark(
  db: OutpostDb,
  entryId: string,
  now: number,
  error: OutboxError,
  states: readonly OutboxState[] = ['sending'],
): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await currentEntry(db, entryId, states)
    if (entry === undefined) return
    await db.outbox.put({ ...entry, state: 'parked', lastError: error, updatedAt: now })
    await recordClosingStep(db, entry, 'parked', now, error.message)
  })
}
