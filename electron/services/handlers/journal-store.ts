/**
 * The interface the `writeJournal`/`readJournal` handlers need, plus an in-memory
 * implementation for tests and the web host. The durable one (a file beside the
 * settings) belongs to electron/services/journal. `write` replaces the whole journal.
 */
import type { JournalEntry } from '../../../shared/ipc/journal'

export interface JournalStore {
  write(entries: readonly JournalEntry[]): Promise<void>
  read(): Promise<JournalEntry[]>
}

export function createMemoryJournal(): JournalStore {
  let entries: JournalEntry[] = []
  return {
    write: async (next) => {
      entries = [...next]
    },
    read: async () => [...entries],
  }
}
