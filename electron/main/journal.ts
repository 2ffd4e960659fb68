/**
 * Main's side of the outbox journal: one encrypted file per database (so per API target) in
 * the user-data folder, encrypted with safeStorage (the OS keychain). Where the OS offers no
 * keychain the journal stays in memory only: personal data is never written to disk in clear text.
 */
import { app, safeStorage } from 'electron'
import { join } from 'node:path'
import { createMemoryJournal } from '../services/handlers/journal-store'
import { createHandlerJournal } from '../services/journal/handler-journal'
import { createJournalSet, LEGACY_JOURNAL_FILE_NAME, type JournalSet } from '../services/journal/journal-set'
import { createJournalStore } from '../services/journal/journal-store'

/** The first version's file: the journal of the database named 'outpost'. */
export const JOURNAL_FILE_NAME = LEGACY_JOURNAL_FILE_NAME

export function initJournal(log: (message: string) => void): JournalSet {
  if (!safeStorage.isEncryptionAvailable()) {
    log('outbox journal kept in memory only: the OS offers no keychain encryption')
    const memory = createMemoryJournal()
    return { ...memory, flush: async () => undefined }
  }
  return createJournalSet((fileName) =>
    createHandlerJournal(createJournalStore({ file: join(app.getPath('userData'), fileName), cipher: safeStorage }), log),
  )
}
