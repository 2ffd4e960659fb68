/**
 * Decides, at start, which journaled outbox entries the database has lost and must get back.
 * Pure, so main's tests and the renderer's restore step share one rule. Kept out: reading the
 * journal (main, electron/services/journal) and writing rows (the renderer's data layer).
 */
import type { JournalEntry } from './journal'

/** What the database knows about outbox entries, by entry id. */
export interface DatabaseEntryView {
  /** Ids of the entries in the outbox now. */
  readonly outboxIds: ReadonlySet<string>
  /**
   * Ids the database has any trace of (the history of finished, discarded or cancelled
   * entries). An entry known here finished after the journal was written: re-queueing it
   * would send it twice.
   */
  readonly knownIds: ReadonlySet<string>
}

export interface JournalRestorePlan {
  /** Entries to put back, in journal (queue) order so each user's lane keeps its order. */
  readonly restore: readonly JournalEntry[]
  /** How many journal entries the outbox still holds. */
  readonly present: number
  /** How many finished since the journal was written (the journal was just stale). */
  readonly finished: number
}

export function planJournalRestore(journal: readonly JournalEntry[], database: DatabaseEntryView): JournalRestorePlan {
  const restore: JournalEntry[] = []
  const seen = new Set<string>()
  let present = 0
  let finished = 0
  for (const entry of journal) {
    // A journal written twice with the same entry (a crash between writes) restores it once.
    if (seen.has(entry.id)) continue
    seen.add(entry.id)
    if (database.outboxIds.has(entry.id)) present += 1
    else if (database.knownIds.has(entry.id)) finished += 1
    else restore.push(entry)
  }
  return { restore, present, finished }
}
