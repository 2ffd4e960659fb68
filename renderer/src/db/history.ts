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
 * `step` for `entry`, carrying the attempt it ends when one is open (state "sending"): the
 * attempt's "sent" step is stored on this row instead of a row of its own.
 */
export function closingRow(entry: OutboxEntry, step: HistoryStep, at: number, detail = ''): HistoryRow {
  const row = stepRow(entry, step, at, detail)
  return entry.state === 'sending' ? { ...row, sentAt: entry.updatedAt, attempt: entry.attempts } : row
}

/** Left "sending" by a crash or a closed tab: that attempt's own "sent" row (nothing else ended it). */
export function interruptedAttemptRows(entry: OutboxEntry): HistoryRow[] {
  return entry.state === 'sending' ? [stepRow(entry, 'sent', entry.updatedAt, attemptDetail(entry.attempts))] : []
}

const attemptDetail = (attempt: number) => (attempt > 1 ? `attempt ${attempt}` : '')

/**
 * Stored rows as the steps a person reads: a row that ended an attempt is preceded by that
 * attempt's "sent" step, and a create's applied step is followed by its "rekeyed" step. The
 * derived steps sort next to their row (ids just below and above it).
 */
export function expandHistory(rows: readonly HistoryRow[]): HistoryRow[] {
  const steps: HistoryRow[] = []
  for (const { sentAt, attempt, rekeyedTo, ...row } of rows) {
    const id = row.id ?? 0
    if (sentAt !== undefined) steps.push({ ...row, id: id - 0.5, step: 'sent', at: sentAt, detail: attemptDetail(attempt ?? 1) })
    steps.push(row)
    if (rekeyedTo !== undefined) steps.push({ ...row, id: id + 0.5, step: 'rekeyed', detail: rekeyedTo })
  }
  return steps
}
