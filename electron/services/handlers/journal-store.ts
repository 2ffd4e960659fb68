/**
 * The interface the `writeJournal`/`readJournal` handlers need, plus an in-memory
 * implementation for tests and the web host. The durable one (a file per database beside the
 * settings) belongs to electron/services/journal. `write` replaces that database's journal.
 * Each database (one per API target) has its own journal, so a restore only ever goes back
 * into the database it was written for.
 */
import type { DatabaseName } from '../../../shared/api-target'
import type { JournalEntry } from '../../../shared/ipc/journal'

export interface JournalStore {
  write(database: DatabaseName, entries: readonly JournalEntry[]): Promise<void>
  read(database: DatabaseName): Promise<JournalEntry[]>
}

export function createMemoryJournal(): JournalStore {
  const journals = new Map<DatabaseName, JournalEntry[]>()
  return {
    write: async (database, next) => {
      journals.set(database, [...next])
    },
    read: async (database) => [...(journals.get(database) ?? [])],
  }
}
