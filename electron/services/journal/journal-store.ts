/**
 * Main's copy of the renderer's unsent outbox entries, kept outside IndexedDB so an update
 * or a version downgrade that loses the database cannot lose what field staff typed. The
 * file is encrypted (safeStorage in the app) and replaced atomically; writes are serialised
 * and coalesced, so the newest list always wins. Kept out: deciding what to restore
 * (shared/ipc/journal-restore.ts) and writing rows back (the renderer).
 */
import { readFile, rename } from 'node:fs/promises'
import { z } from 'zod'
import { JournalEntrySchema, type JournalEntry } from '../../../shared/ipc/journal'
import { parseUnknown } from '../../../shared/parse'
import { writeFileAtomic } from './atomic-write'

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
      queued = parseUnknown(z.array(JournalEntrySchema), entries, 'journal entries')
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
      let bytes: Buffer
      try {
        bytes = await readFile(file)
      } catch (error) {
        if (isMissing(error)) return { kind: 'missing' }
        return { kind: 'unreadable', reason: errorCode(error) }
      }
      let json: unknown
      try {
        json = JSON.parse(cipher.decryptString(bytes)) as unknown
      } catch {
        // Never echo the content: it is personal data, even when it is corrupt.
        return { kind: 'unreadable', reason: 'cannot be decrypted or is not JSON' }
      }
      try {
        const parsed = parseUnknown(JournalFileSchema, json, 'journal file')
        return { kind: 'ok', entries: parsed.entries, writtenAt: parsed.writtenAt }
      } catch (error) {
        return { kind: 'unreadable', reason: error instanceof Error ? error.message : 'invalid journal file' }
      }
    },
  }
}

function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT'
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'read failed'
}
