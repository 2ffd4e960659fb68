/**
 * The outbox's write transactions for the engine and the feed, one per transition of an
 * entry's life (outbox-state-machine.ts). Each re-reads the entry and does nothing unless it
 * is still in a state the transition starts from (an event settled it, the person discarded
 * it), and writes the entry, its history step and its user row together (users-repository.ts).
 */
import Dexie from 'dexie'
import { PROOF_FIELDS } from '../../../shared/schemas/data-change'
import type { User } from '../../../shared/schemas/user'
import type { OutpostDb } from './database'
import { closingRow, interruptedAttemptRows, stepRow } from './history'
import { canApply, OUTBOX_TRANSITIONS, type TransitionName } from './outbox-state-machine'
import type { DataChangeEntry, OutboxEntry, OutboxError } from './rows'
import { markOffboarding, rekeyToServer, upsertFromServer } from './users-repository'

type Tx = <T>(fn: () => Promise<T>) => Promise<T>

const OUTBOX_TABLES = ['users', 'outbox', 'history']

/**
 * Runs `fn` in a transaction over the outbox tables: the caller's, when a group commit or the
 * feed already opened one (a Dexie sub-transaction would lock the group, so that its jobs ran
 * one after another), or a new one.
 */
function outboxTx(db: OutpostDb): Tx {
  return (fn) => {
    const current = Dexie.currentTransaction
    const joinable = current !== null && current.mode === 'readwrite' && OUTBOX_TABLES.every((t) => current.storeNames.includes(t))
    return joinable ? fn() : db.transaction('rw', [db.users, db.outbox, db.history], fn)
  }
}

/**
 * The entry as stored now, if `transition` may start from its state (and, given `updatedAt`,
 * nobody changed it since the caller read it: the person may edit a queued entry meanwhile).
 */
export async function entryFor(
  db: OutpostDb,
  entryId: string,
  transition: TransitionName,
  updatedAt?: number,
): Promise<OutboxEntry | undefined> {
  const entry = await db.outbox.where('id').equals(entryId).first()
  if (entry === undefined || !canApply(transition, entry.state)) return undefined
  return updatedAt === undefined || entry.updatedAt === updatedAt ? entry : undefined
}

/**
 * Marks the entry as handed to the transport; returns it as stored, or undefined to skip.
 * Its "sent" step is written when the attempt ends (see closingRow).
 */
export async function markSending(db: OutpostDb, entryId: string, now: number, updatedAt?: number): Promise<OutboxEntry | undefined> {
  return outboxTx(db)(async () => {
    const entry = await entryFor(db, entryId, 'send', updatedAt)
    if (entry === undefined) return undefined
    const next = {
      ...entry,
      state: OUTBOX_TRANSITIONS.send.to,
      attempts: entry.attempts + 1,
      firstSentAt: entry.firstSentAt ?? now,
      updatedAt: now,
    } satisfies OutboxEntry
    // Left "sending" by a crash or a closed tab: that attempt's step goes in now.
    const interrupted = interruptedAttemptRows(entry)
    await Promise.all([db.outbox.put(next), interrupted.length > 0 ? db.history.bulkAdd(interrupted) : undefined])
    return next
  })
}

/**
 * The create answered: the server row replaces the local one and the entry's later entries
 * move to the server id, all in one transaction (rule 3). Its history stays under the local
 * key; the applied step names the server id (see getUserHistory).
 */
export async function commitCreated(db: OutpostDb, entryId: string, localKey: string, user: User, now: number): Promise<void> {
  await outboxTx(db)(async () => {
    // One read finds the entry and its later entries (the lane); independent requests are
    // issued together, so a create costs few round trips.
    const [lane, existing] = await Promise.all([db.outbox.where('userKey').equals(localKey).toArray(), db.users.get(user.id)])
    const entry = lane.find((e) => e.id === entryId && canApply('created', e.state))
    const writes: Array<Promise<unknown>> = [rekeyToServer(db, localKey, user, now, existing)]
    if (entry !== undefined) {
      writes.push(db.outbox.delete(entry.seq!))
      const applied = closingRow({ ...entry, userKey: user.id }, 'applied', now, `created as ${user.id}`)
      writes.push(db.history.add(localKey === user.id ? applied : { ...applied, rekeyedTo: user.id }))
    }
    if (localKey !== user.id) {
      const dependents = withCreatedBase(
        lane.filter((e) => e.id !== entryId).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)),
        user,
      ).map((e) => ({ ...e, userKey: user.id }))
      if (dependents.length > 0) writes.push(db.outbox.bulkPut(dependents))
    }
    await Promise.all(writes)
  })
}

/**
 * Data changes queued while the user existed only here have no base (nothing was on the server
 * to see). Once created, what the server made is what they were queued over (earlier changes
 * laid over, in queue order): a back office that changes the field after that is a conflict,
 * never overwritten silently (rule 10).
 */
function withCreatedBase(lane: readonly OutboxEntry[], user: User): OutboxEntry[] {
  let seen = user as unknown as Readonly<Record<string, unknown>>
  return lane.map((entry) => {
    if (entry.kind !== 'dataChange') return entry
    const fields = Object.entries(entry.payload.change.body).filter(([field, value]) => !PROOF_FIELDS.has(field) && value !== undefined)
    const next =
      entry.payload.base === null || entry.payload.base === undefined
        ? {
            ...entry,
            payload: {
              ...entry.payload,
              base: { updatedAt: user.updated_at, values: Object.fromEntries(fields.map(([f]) => [f, seen[f] ?? null])) },
            },
          }
        : entry
    seen = { ...seen, ...Object.fromEntries(fields) }
    return next
  })
}

/** A data change accepted (202 or already pending): wait for its event or a read-back. */
export async function commitAccepted(db: OutpostDb, entryId: string, now: number, detail: string): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await entryFor(db, entryId, 'accept')
    if (entry === undefined) return
    await Promise.all([
      db.outbox.put({
        ...entry,
        state: OUTBOX_TRANSITIONS.accept.to,
        acceptedAt: now,
        // The confirmation deadline counts from the first acceptance, not from each 409 "still pending".
        awaitingSince: entry.awaitingSince ?? now,
        lastError: null,
        updatedAt: now,
      }),
      db.history.add(closingRow(entry, 'accepted', now, detail)),
    ])
  })
}

/** Finished: the entry leaves the outbox; an offboarding marks the cached user. */
export async function commitDone(db: OutpostDb, entryId: string, now: number, detail: string, user?: User): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await entryFor(db, entryId, 'finish')
    if (entry === undefined) return
    if (user !== undefined) await upsertFromServer(db, user, now)
    if (entry.kind === 'offboard') await markOffboarding(db, entry.userKey, now)
    await db.outbox.delete(entry.seq!)
    await db.history.add(closingRow(entry, 'applied', now, detail))
  })
}

/** A transient failure: back to the queue, not before `nextAttemptAt`; `failures` in a row so far. */
export async function commitRetry(
  db: OutpostDb,
  entryId: string,
  now: number,
  nextAttemptAt: number,
  error: OutboxError,
  failures = 0,
  reachedServer = true,
): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await entryFor(db, entryId, 'retryLater')
    if (entry === undefined) return
    await db.outbox.put({
      ...entry,
      // A try that reached no server (offline) is no attempt: the count the person sees is of real sends.
      attempts: reachedServer || entry.state !== 'sending' ? entry.attempts : Math.max(0, entry.attempts - 1),
      state: entry.state === 'awaiting' ? 'awaiting' : OUTBOX_TRANSITIONS.retryLater.to,
      nextAttemptAt,
      lastError: error,
      failures,
      updatedAt: now,
    })
    await db.history.add(closingRow(entry, 'retry', now, `${error.message}; next attempt in ${Math.max(0, nextAttemptAt - now)} ms`))
  })
}

/** A permanent failure: the lane stops until the person edits, retries or discards. */
export async function commitPark(
  db: OutpostDb,
  entryId: string,
  now: number,
  error: OutboxError,
  transition: 'park' | 'parkAwaiting' = 'park',
): Promise<void> {
  await outboxTx(db)(async () => {
    const entry = await entryFor(db, entryId, transition)
    if (entry === undefined) return
    await db.outbox.put({ ...entry, state: OUTBOX_TRANSITIONS[transition].to, lastError: error, updatedAt: now })
    await db.history.add(closingRow(entry, 'parked', now, error.message))
  })
}

/** The read before a data change's send shows it done: the entry leaves the outbox (nothing sent). */
export async function commitSettledByReadBack(
  db: OutpostDb,
  read: DataChangeEntry,
  now: number,
  detail: string,
  user: User,
): Promise<void> {
  await outboxTx(db)(async () => {
    await upsertFromServer(db, user, now)
    const entry = await entryFor(db, read.id, 'settledByReadBack', read.updatedAt)
    if (entry === undefined) return
    await Promise.all([db.outbox.delete(entry.seq!), db.history.add(closingRow(entry, 'applied', now, detail))])
  })
}

/** The read before a data change's send shows it impossible, in conflict or overdue: parked with the reason. */
export async function commitParkedByReadBack(
  db: OutpostDb,
  read: DataChangeEntry,
  now: number,
  error: OutboxError,
  user: User,
): Promise<void> {
  await outboxTx(db)(async () => {
    await upsertFromServer(db, user, now)
    const entry = await entryFor(db, read.id, 'parkedByReadBack', read.updatedAt)
    if (entry === undefined) return
    await Promise.all([
      db.outbox.put({ ...entry, state: OUTBOX_TRANSITIONS.parkedByReadBack.to, lastError: error, updatedAt: now }),
      db.history.add(closingRow(entry, 'parked', now, error.message)),
    ])
  })
}

/**
 * An event made the user's queued data changes impossible (offboarding, deactivation): each
 * is parked at once with that reason, in flight or not (a late answer then changes nothing).
 */
export async function commitParkedByEvent(db: OutpostDb, user: User, eventType: string, now: number): Promise<number> {
  return outboxTx(db)(async () => {
    const lane = await db.outbox.where('userKey').equals(user.id).toArray()
    const doomed = lane.filter((e) => e.kind === 'dataChange' && canApply('parkedByEvent', e.state))
    const error: OutboxError = {
      kind: 'not_active',
      message: `the user is ${user.status} on the server (${eventType}, ${user.updated_at}); this change can no longer be made`,
      userStatus: user.status,
      changedAt: user.updated_at,
      fieldErrors: [],
    }
    await Promise.all([
      doomed.length > 0
        ? db.outbox.bulkPut(doomed.map((e) => ({ ...e, state: OUTBOX_TRANSITIONS.parkedByEvent.to, lastError: error, updatedAt: now })))
        : undefined,
      doomed.length > 0
        ? db.history.bulkAdd(doomed.flatMap((e) => [closingRow(e, 'event', now, eventType), stepRow(e, 'parked', now, error.message)]))
        : undefined,
    ])
    return doomed.length
  })
}

/** The user's data change that an event can answer: the head of its lane, sent or accepted. */
export async function dataChangeInFlight(db: OutpostDb, userId: string): Promise<DataChangeEntry | undefined> {
  const head: OutboxEntry | undefined = (await db.outbox.where('userKey').equals(userId).sortBy('seq'))[0]
  return head?.kind === 'dataChange' && canApply('appliedByEvent', head.state) ? head : undefined
}

/** USER.DATA_CHANGE_FAILED: the change in flight is parked with the provider's reason. */
export async function commitFailedByEvent(
  db: OutpostDb,
  entry: DataChangeEntry,
  eventType: string,
  reason: string,
  now: number,
): Promise<void> {
  await outboxTx(db)(async () => {
    await db.outbox.put({
      ...entry,
      state: OUTBOX_TRANSITIONS.failedByEvent.to,
      lastError: { kind: 'data_change_failed', message: reason, fieldErrors: [] },
      updatedAt: now,
    })
    // The event may come before the request's answer: the open attempt's "sent" step goes first.
    await db.history.bulkAdd([closingRow(entry, 'event', now, eventType), stepRow(entry, 'failed', now, reason)])
  })
}

/** USER.DATA_CHANGED showing the change: the entry is finished. */
export async function commitAppliedByEvent(db: OutpostDb, entry: DataChangeEntry, eventType: string, now: number): Promise<void> {
  await outboxTx(db)(async () => {
    await db.outbox.delete(entry.seq!)
    await db.history.bulkAdd([closingRow(entry, 'event', now, eventType), stepRow(entry, 'applied', now, 'confirmed by the API')])
  })
}

/** An event for the user that does not settle its change in flight (a late event of an earlier change). */
export async function recordUnrelatedEvent(db: OutpostDb, entry: DataChangeEntry, detail: string, now: number): Promise<void> {
  await outboxTx(db)(async () => {
    await db.history.add(stepRow(entry, 'event', now, detail))
  })
}
