/**
 * Serves the file journal to the writeJournal / readJournal handlers (their JournalStore
 * interface): a missing journal reads as empty, an unreadable one is set aside and logged
 * (never its content) so the app still starts and the next write starts a fresh file.
 */
import { assertNever } from '../../../shared/assert-never'
import type { JournalEntry } from '../../../shared/ipc/journal'
import type { JournalStore } from './journal-store'

export interface HandlerJournal {
  write(entries: readonly JournalEntry[]): Promise<void>
  read(): Promise<JournalEntry[]>
  flush(): Promise<void>
}

export function createHandlerJournal(store: JournalStore, log: (message: string) => void): HandlerJournal {
  return {
    write: (entries) => store.write(entries),
    flush: () => store.flush(),
    async read() {
      const result = await store.read()
      switch (result.kind) {
        case 'ok':
          return [...result.entries]
        case 'missing':
          return []
        case 'unreadable': {
          const aside = await store.setAside().catch(() => null)
          log(`outbox journal unreadable (${result.reason}); ${aside === null ? 'left in place' : 'moved aside'}`)
          return []
        }
        default:
          return assertNever(result, 'journal read result')
      }
    },
  }
}
