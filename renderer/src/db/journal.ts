/**
 * The renderer's side of main's outbox journal: collects every unsent entry (with the user
 * row of a user that exists only here) for main to keep outside IndexedDB, and at start puts
 * back what a lost or downgraded database no longer has, in one transaction.
 */
import type { JournalEntry } from '../../../shared/ipc/journal'
import { planJournalRestore } from '../../../shared/ipc/journal-restore'
import { safeParseUnknown } from '../../../shared/parse'
import { getDatabase, type OutpostDb } from './database'
import { recordStep } from './history'
import { notifyOutboxChanged } from './outbox-signal'
import { isLocalKey, OutboxEntrySchema, UserRowSchema, type OutboxEntry, type UserRow } from './rows'
import { rowFromDraft } from './user-row'
import { restoreRow } from './users-repository'

/** Every entry still in the outbox (a finished entry is deleted), in queue order. */
export async function journalEntriesFrom(db: OutpostDb = getDatabase()): Promise<JournalEntry[]> {
  return db.transaction('r', [db.outbox, db.users], async () => {
    const entries = await db.outbox.orderBy('seq').toArray()
    const localKeys = [...new Set(entries.map((e) => e.userKey).filter(isLocalKey))]
    const rows = new Map<string, UserRow>()
    for (const row of await db.users.bulkGet(localKeys)) if (row !== undefined) rows.set(row.key, row)
    return entries.map((entry) => {
      const userRow = rows.get(entry.userKey)
      return {
        id: entry.id,
        userKey: entry.userKey,
        kind: entry.kind,
        idempotencyKey: entry.idempotencyKey,
        createdAt: new Date(entry.createdAt).toISOString(),
        entry,
        ...(userRow === undefined ? {} : { userRow }),
      }
    })
  })
}

export interface RestoreResult {
  readonly restored: number
  /** Journal entries that no longer parse as outbox entries: kept out of the queue, handed back whole to be kept. */
  readonly unreadable: readonly { readonly entry: JournalEntry; readonly reason: string }[]
}

/** Puts back the journaled entries the database has no trace of, in journal order. */
export async function restoreFromJournal(db: OutpostDb, journal: readonly JournalEntry[], now = Date.now()): Promise<RestoreResult> {
  const result = await db.transaction('rw', [db.users, db.outbox, db.history], async () => {
    const [outbox, history] = await Promise.all([db.outbox.toArray(), db.history.toArray()])
    const plan = planJournalRestore(journal, {
      outboxIds: new Set(outbox.map((e) => e.id)),
      knownIds: new Set(history.map((h) => h.entryId)),
    })
    const unreadable: { entry: JournalEntry; reason: string }[] = []
    let restored = 0
    for (const item of plan.restore) {
      const parsed = safeParseUnknown(OutboxEntrySchema, item.entry)
      if (!parsed.ok) {
        unreadable.push({ entry: item, reason: parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ') })
        continue
      }
      // A restored entry takes a new place at the queue's end; journal order keeps each lane's order.
      const { seq: _seq, ...fields } = parsed.value
      const entry: OutboxEntry = fields
      const row = userRowFor(item, entry, now)
      if (row !== null) await restoreRow(db, row)
      await db.outbox.add(entry)
      await recordStep(db, entry, 'queued', now, 'restored from the journal after the database was lost')
      restored += 1
    }
    return { restored, unreadable }
  })
  if (result.restored > 0) notifyOutboxChanged()
  return result
}

/** The journaled user row, or (if that no longer parses) one rebuilt from a create's body. */
function userRowFor(item: JournalEntry, entry: OutboxEntry, now: number): UserRow | null {
  const parsed = safeParseUnknown(UserRowSchema, item.userRow)
  if (parsed.ok && parsed.value.key === entry.userKey) return parsed.value
  return entry.kind === 'create' && isLocalKey(entry.userKey) ? rowFromDraft(entry.userKey, entry.payload.body, now) : null
}
