/**
 * One journal file per database (so per API target), opened on first use. The first version's
 * database ('outpost') keeps the first version's file name, so an upgraded install finds its
 * journal under the database that adopts it. The name is checked again here: it names a file.
 */
import { DatabaseNameSchema, LEGACY_DATABASE_NAME, type DatabaseName } from '../../../shared/api-target'
import { parseStrict } from '../../../shared/parse'
import type { JournalEntry } from '../../../shared/ipc/journal'
import type { HandlerJournal } from './handler-journal'

export const LEGACY_JOURNAL_FILE_NAME = 'outbox-journal.bin'

export function journalFileName(database: DatabaseName): string {
  const name = parseStrict(DatabaseNameSchema, database, 'database name')
  return name === LEGACY_DATABASE_NAME ? LEGACY_JOURNAL_FILE_NAME : `outbox-journal.${name}.bin`
}

export interface JournalSet {
  write(database: DatabaseName, entries: readonly JournalEntry[]): Promise<void>
  read(database: DatabaseName): Promise<JournalEntry[]>
  /** Every journal opened so far is on disk (the updater waits on it before installing). */
  flush(): Promise<void>
}

export function createJournalSet(open: (fileName: string) => HandlerJournal): JournalSet {
  const journals = new Map<string, HandlerJournal>()
  function journalFor(database: DatabaseName): HandlerJournal {
    const file = journalFileName(database)
    let journal = journals.get(file)
    if (journal === undefined) {
      journal = open(file)
      journals.set(file, journal)
    }
    return journal
  }
  return {
    write: async (database, entries) => journalFor(database).write(entries),
    read: async (database) => journalFor(database).read(),
    async flush() {
      await Promise.all([...journals.values()].map((j) => j.flush()))
    },
  }
}
