/**
 * The outbox's write transactions the person starts: enqueue a create, data change or
 * offboard (user row + entry in one transaction, so "saved" means durable), and the person's
 * decisions on a parked entry (retry, edit and resend, discard). The engine's and the feed's
 * transitions are in outbox-steps.ts; both follow outbox-state-machine.ts.
 */
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import { PROOF_FIELDS, type DataChange } from '../../../shared/schemas/data-change'
import { getDatabase, type OutpostDb } from './database'
import { addProofFile, type NewProofFile } from './proof-files'
import { recordStep } from './history'
import { notifyOutboxChanged } from './outbox-signal'
import { neverReachedServer, pendingOverlay } from './outbox-rules'
import { canApply, OUTBOX_TRANSITIONS, PERSON_REFUSALS, type TransitionName } from './outbox-state-machine'
import { LOCAL_KEY_PREFIX, type ChangeBase, type OutboxEntry } from './rows'
import { addDraft, exists, putDraft, removeLocal } from './users-repository'

export class OutboxError extends Error {
  override readonly name = 'OutboxError'
}

function newEntryBase(userKey: string, now: number) {
  return {
    id: crypto.randomUUID(),
    userKey,
    // Minted once here and reused on every retry: a retried create never makes a second user.
    idempotencyKey: crypto.randomUUID(),
    state: 'queued' as const,
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    firstSentAt: null,
    acceptedAt: null,
  }
}

/** Queues a new user; returns the local key the row has until the server id arrives. */
export async function enqueueCreate(
  body: CreateUserBody,
  db: OutpostDb = getDatabase(),
  now = Date.now(),
): Promise<{ userKey: string; entryId: string }> {
  const userKey = `${LOCAL_KEY_PREFIX}${crypto.randomUUID()}`
  const entry: OutboxEntry = { ...newEntryBase(userKey, now), kind: 'create', payload: { body } }
  await db.transaction('rw', [db.users, db.outbox, db.history], async () => {
    await addDraft(db, userKey, body, now)
    await db.outbox.add(entry)
    await recordStep(db, entry, 'queued', now)
  })
  notifyOutboxChanged()
  return { userKey, entryId: entry.id }
}

/** Queues a data change behind the user's earlier entries; `proof`, a file stored with it (one transaction). */
export async function enqueueDataChange(
  userKey: string,
  change: DataChange,
  db: OutpostDb = getDatabase(),
  now = Date.now(),
  proof?: NewProofFile,
): Promise<{ entryId: string }> {
  const id = crypto.randomUUID()
  await db.transaction('rw', [db.users, db.outbox, db.history, db.proofFiles], async () => {
    // What the person saw is the base a conflict is measured against (rule 10).
    const base = await changeBase(db, userKey, change, Infinity)
    const entry: OutboxEntry = { ...newEntryBase(userKey, now), id, kind: 'dataChange', payload: { change, base } }
    await db.outbox.add(entry)
    if (proof !== undefined) await addProofFile(db, id, proof, now)
    await recordStep(db, entry, 'queued', now)
  })
  notifyOutboxChanged()
  return { entryId: id }
}

/**
 * The values the person saw for the fields `change` touches: the server's user with the
 * user's entries queued before `beforeSeq` laid over it. Null for a user known only locally.
 */
async function changeBase(db: OutpostDb, userKey: string, change: DataChange, beforeSeq: number): Promise<ChangeBase | null> {
  const row = await db.users.get(userKey)
  if (row === undefined) throw new OutboxError(`unknown user ${userKey}`)
  if (row.user === null) return null
  const earlier = (await db.outbox.where('userKey').equals(userKey).sortBy('seq')).filter((e) => (e.seq ?? 0) < beforeSeq)
  const { view } = pendingOverlay(row, earlier)
  const seen = view as Readonly<Record<string, unknown>>
  const values = Object.fromEntries(Object.keys(change.body).filter((f) => !PROOF_FIELDS.has(f)).map((f) => [f, seen[f] ?? null]))
  return { updatedAt: row.user.updated_at, values }
}

/**
 * Queues an offboarding. A user that never reached the server (its create was never sent,
 * or failed for good) is removed locally with its entries and no API call.
 */
export async function enqueueOffboard(
  userKey: string,
  db: OutpostDb = getDatabase(),
  now = Date.now(),
): Promise<{ entryId: string | null; cancelledLocally: boolean }> {
  const result = await db.transaction('rw', [db.users, db.outbox, db.history], async () => {
    if (!(await exists(db, userKey))) throw new OutboxError(`unknown user ${userKey}`)
    const entries = await db.outbox.where('userKey').equals(userKey).sortBy('seq')
    if (neverReachedServer(userKey, entries)) {
      // The cancelLocally transition: every entry of a user that exists only here.
      for (const e of entries) await recordStep(db, e, 'cancelled', now, 'offboarded before it reached the server')
      await db.outbox.bulkDelete(entries.map((e) => e.seq).filter((s): s is number => s !== undefined))
      await removeLocal(db, userKey)
      return { entryId: null, cancelledLocally: true }
    }
    const entry: OutboxEntry = { ...newEntryBase(userKey, now), kind: 'offboard', payload: {} }
    await db.outbox.add(entry)
    await recordStep(db, entry, 'queued', now)
    return { entryId: entry.id, cancelledLocally: false }
  })
  notifyOutboxChanged()
  return result
}

/**
 * The entry the person acts on, if `transition` applies to it; otherwise an error that says
 * why. Read in the person's transaction, so the drain cannot mark it "sending" meanwhile; a
 * queued entry that already went out once (its answer was lost) is on its way too.
 */
async function entryForPerson(db: OutpostDb, entryId: string, transition: TransitionName & keyof typeof PERSON_REFUSALS): Promise<OutboxEntry> {
  const entry = await db.outbox.where('id').equals(entryId).first()
  if (entry === undefined) throw new OutboxError(`unknown outbox entry ${entryId}`)
  const wentOut = entry.state === 'queued' && entry.firstSentAt !== null
  if (!canApply(transition, entry.state) || wentOut) throw new OutboxError(PERSON_REFUSALS[transition])
  return entry
}

/** Sends a change held for a conflict as it is, over the other value (the person chose so). */
export async function sendAnyway(entryId: string, db: OutpostDb = getDatabase(), now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.outbox, db.history], async () => {
    const entry = await entryForPerson(db, entryId, 'sendAnywayByPerson')
    if (entry.kind !== 'dataChange' || entry.lastError?.kind !== 'conflict') throw new OutboxError(PERSON_REFUSALS.sendAnywayByPerson)
    await db.outbox.put({
      ...entry,
      state: OUTBOX_TRANSITIONS.sendAnywayByPerson.to,
      payload: { ...entry.payload, override: true },
      nextAttemptAt: 0,
      lastError: null,
      failures: 0,
      updatedAt: now,
    })
    await recordStep(db, entry, 'resent', now, 'sent anyway over the other change, as the user chose')
  })
  notifyOutboxChanged()
}

/** Sends a parked entry again as it is. */
export async function retryEntry(entryId: string, db: OutpostDb = getDatabase(), now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.outbox, db.history], async () => {
    const entry = await entryForPerson(db, entryId, 'retryByPerson')
    await db.outbox.update(entry.seq!, { state: OUTBOX_TRANSITIONS.retryByPerson.to, nextAttemptAt: 0, lastError: null, failures: 0, awaitingSince: null, updatedAt: now })
    await recordStep(db, entry, 'resent', now, 'retry asked by the user')
  })
  notifyOutboxChanged()
}

/** Replaces the body of a parked create or data change, or of one not sent yet, and queues it (again). */
export async function editAndResend(
  entryId: string,
  edit: { readonly body: CreateUserBody } | { readonly change: DataChange },
  db: OutpostDb = getDatabase(),
  now = Date.now(),
): Promise<void> {
  await db.transaction('rw', [db.users, db.outbox, db.history], async () => {
    const entry = await entryForPerson(db, entryId, 'editByPerson')
    const reset = { state: OUTBOX_TRANSITIONS.editByPerson.to, nextAttemptAt: 0, lastError: null, updatedAt: now, attempts: 0 }
    if (entry.kind === 'create' && 'body' in edit) {
      // A request the API refused as invalid created nothing, and a new body needs a new key
      // (the API answers 422 to a reused key with another body). After any other failure the
      // first request may have created the user, so the key stays and protects against a duplicate.
      const refused = entry.lastError?.kind === 'validation'
      await db.outbox.put({
        ...entry,
        ...reset,
        payload: { body: edit.body },
        idempotencyKey: refused ? crypto.randomUUID() : entry.idempotencyKey,
        firstSentAt: refused ? null : entry.firstSentAt,
      })
      if (await exists(db, entry.userKey)) await putDraft(db, entry.userKey, edit.body, now)
    } else if (entry.kind === 'dataChange' && 'change' in edit) {
      // The person edited with today's values in view (after a conflict: theirs): that is the new base.
      const base = await changeBase(db, entry.userKey, edit.change, entry.seq ?? Infinity)
      await db.outbox.put({ ...entry, ...reset, payload: { change: edit.change, base }, acceptedAt: null, awaitingSince: null, failures: 0 })
    } else {
      throw new OutboxError(`a ${entry.kind} entry cannot take this edit`)
    }
    await recordStep(db, entry, 'edited', now, 'edited and queued again by the user')
  })
  notifyOutboxChanged()
}

/**
 * Drops a parked entry for good, or withdraws one not sent yet (the UI asks first); recorded
 * in the history. Discarding a create also drops the local user and the entries that depended on it.
 */
export async function discardEntry(
  entryId: string,
  reason = 'discarded by the user',
  db: OutpostDb = getDatabase(),
  now = Date.now(),
): Promise<void> {
  await db.transaction('rw', [db.users, db.outbox, db.history], async () => {
    const entry = await entryForPerson(db, entryId, 'discardByPerson')
    const dropped = entry.kind === 'create' ? await db.outbox.where('userKey').equals(entry.userKey).toArray() : [entry]
    for (const e of dropped) await recordStep(db, e, 'discarded', now, e.id === entry.id ? reason : 'its user was never created')
    await db.outbox.bulkDelete(dropped.map((e) => e.seq!))
    if (entry.kind === 'create') await removeLocal(db, entry.userKey)
  })
  notifyOutboxChanged()
}
