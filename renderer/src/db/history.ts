/**
 * Appends to an entry's timeline. Called inside the transaction that changes the entry,
 * so the history never claims a step the outbox does not reflect.
 */
import type { OutpostDb } from './database'
import type { HistoryStep, OutboxEntry } from './rows'

export async function recordStep(
  db: OutpostDb,
  entry: Pick<OutboxEntry, 'id' | 'userKey' | 'kind'>,
  step: HistoryStep,
  at: number,
  detail = '',
): Promise<void> {
  await db.history.add({ entryId: entry.id, userKey: entry.userKey, kind: entry.kind, step, at, detail })
}
