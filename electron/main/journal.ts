/**
 * Main's side of the outbox journal: one encrypted file in the user-data folder, encrypted
 * with safeStorage (the OS keychain). Where the OS offers no keychain the journal stays in
 * memory only: personal data is never written to disk in clear text.
 */
import { app, safeStorage } from 'electron'
import { join } from 'node:path'
import { createMemoryJournal } from '../services/handlers/journal-store'
import { createHandlerJournal, type HandlerJournal } from '../services/journal/handler-journal'
import { createJournalStore } from '../services/journal/journal-store'

export const JOURNAL_FILE_NAME = 'outbox-journal.bin'

export function initJournal(log: (message: string) => void): HandlerJournal {
  if (!safeStorage.isEncryptionAvailable()) {
    log('outbox journal kept in memory only: the OS offers no keychain encryption')
    const memory = createMemoryJournal()
    return { ...memory, flush: async () => undefined }
  }
  const store = createJournalStore({ file: join(app.getPath('userData'), JOURNAL_FILE_NAME), cipher: safeStorage })
  return createHandlerJournal(store, log)
}
