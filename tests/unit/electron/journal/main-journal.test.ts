// Main's journal as the handlers see it, with `electron` mocked: the file lives in userData
// and is encrypted through safeStorage; an unreadable file is set aside, not overwritten;
// without keychain encryption nothing is written to disk.
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JournalEntry } from '../../../../shared/ipc/journal'
import { createTestCipher } from './test-cipher'

const electron = vi.hoisted(() => ({ userData: '', encryptionAvailable: true }))
vi.mock('electron', () => {
  const cipher = createTestCipher()
  return {
    app: { getPath: (name: string) => (name === 'userData' ? electron.userData : '') },
    safeStorage: {
      isEncryptionAvailable: () => electron.encryptionAvailable,
      encryptString: (plain: string) => cipher.encryptString(plain),
      decryptString: (data: Buffer) => cipher.decryptString(data),
    },
  }
})
// vi.mock is hoisted above this import.
import { initJournal, JOURNAL_FILE_NAME } from '../../../../electron/main/journal'
import { databaseNameFor, LEGACY_DATABASE_NAME } from '../../../../shared/api-target'

const LEGACY = LEGACY_DATABASE_NAME
const SANDBOX = databaseNameFor({ apiBaseUrl: 'https://sandbox.example.com/v1', clientId: '11111111-1111-4111-8111-111111111111' })
const PRODUCTION = databaseNameFor({ apiBaseUrl: 'https://api.example.com/v1', clientId: '11111111-1111-4111-8111-111111111111' })

const entry: JournalEntry = {
  id: 'e1',
  userKey: 'local-1',
  kind: 'create',
  idempotencyKey: 'k1',
  createdAt: '2026-11-27T00:00:00.000Z',
  entry: { body: { first_name: 'Annegret' } },
}

describe('main journal', () => {
  let logs: string[]

  beforeEach(async () => {
    electron.userData = await mkdtemp(join(tmpdir(), 'outpost-userdata-'))
    electron.encryptionAvailable = true
    logs = []
  })
  afterEach(async () => {
    await rm(electron.userData, { recursive: true, force: true })
  })

  it('keeps the journal encrypted in userData and reads it back on the next start', async () => {
    await initJournal((m) => logs.push(m)).write(LEGACY, [entry])
    const bytes = await readFile(join(electron.userData, JOURNAL_FILE_NAME))
    expect(bytes.includes('Annegret')).toBe(false)
    expect(await initJournal((m) => logs.push(m)).read(LEGACY)).toEqual([entry])
  })

  it('sets an unreadable journal aside and starts empty, logging no content', async () => {
    await writeFile(join(electron.userData, JOURNAL_FILE_NAME), 'Annegret in clear text, not encrypted')
    const journal = initJournal((m) => logs.push(m))
    expect(await journal.read(LEGACY)).toEqual([])
    const files = await readdir(electron.userData)
    expect(files.some((f) => f.startsWith(`${JOURNAL_FILE_NAME}.unreadable-`))).toBe(true)
    expect(files).not.toContain(JOURNAL_FILE_NAME)
    expect(logs.join('\n')).toMatch(/unreadable/)
    expect(logs.join('\n')).not.toContain('Annegret')

    await journal.write(LEGACY, [entry])
    expect(await initJournal((m) => logs.push(m)).read(LEGACY)).toEqual([entry])
  })

  it('writes nothing to disk when the OS offers no keychain encryption', async () => {
    electron.encryptionAvailable = false
    const journal = initJournal((m) => logs.push(m))
    await journal.write(LEGACY, [entry])
    expect(await journal.read(LEGACY)).toEqual([entry])
    expect(existsSync(join(electron.userData, JOURNAL_FILE_NAME))).toBe(false)
    expect(logs.join('\n')).toMatch(/memory only/)
  })

  it('keeps one journal per database: what one target journals is never read back for another', async () => {
    const journal = initJournal((m) => logs.push(m))
    await journal.write(SANDBOX, [entry])
    expect(await journal.read(PRODUCTION)).toEqual([])
    expect(await journal.read(LEGACY)).toEqual([])
    const again = initJournal((m) => logs.push(m))
    expect(await again.read(SANDBOX)).toEqual([entry])
    expect(await again.read(PRODUCTION)).toEqual([])
    // The first version's file stays the journal of the first version's database.
    expect(existsSync(join(electron.userData, JOURNAL_FILE_NAME))).toBe(false)
    expect((await readdir(electron.userData)).filter((f) => f.startsWith('outbox-journal.'))).toEqual([`outbox-journal.${SANDBOX}.bin`])
  })

  it('refuses a database name that could name another file', async () => {
    const journal = initJournal((m) => logs.push(m))
    await expect(journal.write('../settings' as never, [entry])).rejects.toThrow(/database name/)
  })
})
