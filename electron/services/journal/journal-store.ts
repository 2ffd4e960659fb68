/**
 * Main's copy of the renderer's unsent outbox entries, kept outside IndexedDB so an update
 * or a version downgrade that loses the database cannot lose what field staff typed. The
 * file is encrypted (safeStorage in the app) and replaced atomically; writes are serialised
 * and coalesced, so the newest list always wins. Kept out: deciding what to restore
 * (shared/ipc/journal-restore.ts) and writing rows back (the renderer).
 */
import { rename } from 'node:fs/promises'
import { z } from 'zod'
import { JournalEntrySchema, type JournalEntry } from '../../../shared/ipc/journal'
import { parseStrict } from '../../../shared/parse'
import { FileReadError, isMissing, readJsonFile, writeFileAtomic } from '../files'

export const JOURNAL_FORMAT = 1

const JournalFileSchema = z.strictObject({
  format: z.literal(JOURNAL_FORMAT),
  writtenAt: z.string(),
  entries: z.array(JournalEntrySchema),
})

export type JournalReadResult =
  | { readonly kind: 'ok'; readonly entries: readonly JournalEntry[]; readonly writtenAt: string }
  | { readonly kind: 'missing' }
  /** Corrupt, or encrypted by another OS user or machine: reported, never thrown at start. */
  | { readonly kind: 'unreadable'; readonly reason: string }

export interface JournalStore {
  /** Replaces the journal with the renderer's current unsent entries. */
  write(entries: readonly JournalEntry[]): Promise<void>
  read(): Promise<JournalReadResult>
  /** Resolves once every write asked for so far is on disk (the updater waits on it before installing). */
  flush(): Promise<void>
  /**
   * Moves an unreadable journal aside (never deletes it: the keychain may be locked only
   * for now), so the next write does not overwrite what may still be recovered.
   * Returns the new path, or null when there was no file.
   */
  setAside(): Promise<string | null>
}

/** Encrypts a string to bytes and back: Electron's safeStorage has exactly this shape. */
export interface JournalCipher {
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
}

export interface JournalStoreOptions {
  readonly file: string
  readonly cipher: JournalCipher
  readonly now?: () => Date
}

export function createJournalStore({ file, cipher, now = () => new Date() }: JournalStoreOptions): JournalStore {
  let queued: readonly JournalEntry[] | null = null
  let running: Promise<void> | null = null
  let lastError: unknown = null

  async function drain(): Promise<void> {
    while (queued !== null) {
      const entries = queued
      queued = null
      const body = JSON.stringify({ format: JOURNAL_FORMAT, writtenAt: now().toISOString(), entries })
      try {
        await writeFileAtomic(file, cipher.encryptString(body))
        lastError = null
      } catch (error) {
        lastError = error
      }
    }
  }

  function start(): void {
    if (running !== null) return
    running = drain().finally(() => {
      running = null
      // A write that arrived after the loop's last check but before this line.
      if (queued !== null) start()
    })
  }

  async function settle(): Promise<void> {
    while (running !== null) await running
    if (lastError !== null) throw lastError
  }

  return {
    async write(entries) {
      // Validated here too: the store is the last guard before personal data hits the disk.
      queued = parseStrict(z.array(JournalEntrySchema).readonly(), entries, 'journal entries')
      start()
      await settle()
    },
    flush: settle,
    async setAside() {
      await settle().catch(() => undefined)
      const aside = `${file}.unreadable-${now().toISOString().replace(/[:.]/g, '-')}`
      try {
        await rename(file, aside)
        return aside
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },
    async read() {
      try {
        const read = await readJsonFile(file, JournalFileSchema, { label: 'journal file', decode: (bytes) => cipher.decryptString(bytes) })
        return read.kind === 'ok' ? { kind: 'ok', entries: read.value.entries, writtenAt: read.value.writtenAt } : { kind: 'missing' }
      } catch (error) {
        // The message names the problem, never the content: it is personal data, even when it is corrupt.
        if (error instanceof FileReadError) return { kind: 'unreadable', reason: error.message }
        throw error
      }
    },
  }
}
