/**
 * Keeps main's outbox journal current: after each outbox change (Dexie liveQuery), debounced,
 * writes every unsent entry. A failed write is logged and retried at the next change; writes
 * never overlap, so an older journal cannot land after a newer one.
 */
import { liveQuery } from 'dexie'
import type { JournalEntry } from '../../../shared/ipc/journal'
import type { OutpostDb } from './database'
import { journalEntriesFrom } from './journal'

/** Collects a burst of changes (a drain finishing entry after entry) into one write. */
export const JOURNAL_DEBOUNCE_MS = 500

export type WriteJournal = (entries: JournalEntry[]) => Promise<unknown>

/**
 * `carried`: journal entries this version could not read back; written along every time so
 * they are kept, never silently dropped. Returns a stop function.
 */
export function keepJournal(
  db: OutpostDb,
  write: WriteJournal,
  carried: readonly JournalEntry[] = [],
  log: (message: string, error: unknown) => void = console.warn,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let writing = false
  let again = false
  let stopped = false

  async function flush(): Promise<void> {
    timer = undefined
    if (writing) {
      again = true
      return
    }
    writing = true
    try {
      await write([...(await journalEntriesFrom(db)), ...carried])
    } catch (error) {
      log('journal: not written, retried at the next outbox change', error)
    } finally {
      writing = false
    }
    if (again && !stopped) {
      again = false
      schedule()
    }
  }

  function schedule(): void {
    clearTimeout(timer)
    timer = setTimeout(() => void flush(), JOURNAL_DEBOUNCE_MS)
  }

  const subscription = liveQuery(() => db.outbox.toArray()).subscribe({
    next: schedule,
    error: (error: unknown) => log('journal: outbox watch failed', error),
  })
  return () => {
    stopped = true
    subscription.unsubscribe()
    clearTimeout(timer)
  }
}
