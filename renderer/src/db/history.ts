/**
 * Appends to an entry's timeline. Called inside the transaction that changes the entry,
 * so the history never claims a step the outbox does not reflect.
 */
import type { OutpostDb } from './database'
import type { HistoryRow, HistoryStep, OutboxEntry } from './rows'

type EntryRef = Pick<OutboxEntry, 'id' | 'userKey' | 'kind'>

/** A history row for `entry` (for writers that add several steps at once). */
export function stepRow(entry: EntryRef, step: HistoryStep, at: number, detail = ''): HistoryRow {
  return { entryId: entry.id, userKey: entry.userKey, kind: entry.kind, step, at, detail }
}

export async function recordStep(db: OutpostDb, entry: EntryRef, step: HistoryStep, at: number, detail = ''): Promise<void> {
  await db.history.add(stepRow(entry, step, at, detail))
}

/**
 * The "sent" step of an attempt still open on `entry` (state "sending"), dated when the
 * entry was marked. It is written with whatever ends that attempt (the answer's commit, an
 * event, a send again after a crash) instead of at the mark: one write fewer per send.
 */
export function openAttemptSteps(entry: OutboxEntry): HistoryRow[] {
  return entry.state === 'sending' ? [stepRow(entry, 'sent', entry.updatedAt, entry.attempts > 1 ? `attempt ${entry.attempts}` : '')] : []
}

/** Records `step` for `entry`, after the "sent" step of the attempt it ends, if one is open. */
export async function recordClosingStep(db: OutpostDb, entry: OutboxEntry, step: HistoryStep, at: number, detail = ''): Promise<void> {
  await db.history.bulkAdd([...openAttemptSteps(entry), stepRow(entry, step, at, detail)])
}
