// The journal of unsent outbox entries on a real file in a temp dir: encrypted at rest,
// replaced atomically, newest write wins, and a bad file is reported instead of crashing the start.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJournalStore } from '../../../../electron/services/journal/journal-store'
import type { JournalEntry } from '../../../../shared/ipc/journal'
import { createTestCipher } from './test-cipher'

let dir: string
let file: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outpost-journal-'))
  file = join(dir, 'journal', 'outbox-journal.bin')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function entry(n: number, extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    id: `entry-${n}`,
    userKey: `local-${n}`,
    kind: 'create',
    idempotencyKey: `key-${n}`,
    createdAt: new Date(1_800_000_000_000 + n).toISOString(),
    entry: { kind: 'create', payload: { body: { first_name: 'Annegret', last_name: `Mustermann${n}` } } },
    ...extra,
  }
}

describe('journal store', () => {
  it('reads back what it wrote, and never stores it in clear text', async () => {
    const store = createJournalStore({ file, cipher: createTestCipher(), now: () => new Date('2026-11-27T00:00:00Z') })
    await store.write([entry(1), entry(2, { kind: 'dataChange', userRow: { key: 'u-2' } })])
    expect(await store.read()).toEqual({
      kind: 'ok',
      writtenAt: '2026-11-27T00:00:00.000Z',
      entries: [entry(1), entry(2, { kind: 'dataChange', userRow: { key: 'u-2' } })],
    })
    const bytes = await readFile(file)
    expect(bytes.includes('Annegret')).toBe(false)
    expect(bytes.includes('entry-1')).toBe(false)
  })

  it('reports a missing journal as missing (first start)', async () => {
    expect(await createJournalStore({ file, cipher: createTestCipher() }).read()).toEqual({ kind: 'missing' })
  })

  it('reports a corrupt file or one encrypted under another key as unreadable, without its content', async () => {
    const store = createJournalStore({ file, cipher: createTestCipher() })
    await store.write([entry(1)])
    const foreign = await createJournalStore({ file, cipher: createTestCipher() }).read()
    expect(foreign.kind).toBe('unreadable')
    expect(JSON.stringify(foreign)).not.toContain('Annegret')

    await writeFile(file, 'garbage')
    expect((await store.read()).kind).toBe('unreadable')
  })

  it('reports a well-encrypted file of the wrong shape as unreadable', async () => {
    const cipher = createTestCipher()
    await createJournalStore({ file, cipher }).write([])
    await writeFile(file, cipher.encryptString(JSON.stringify({ format: 99, entries: 'x' })))
    expect((await createJournalStore({ file, cipher }).read()).kind).toBe('unreadable')
  })

  it('lets the newest of many overlapping writes win and leaves no temporary files', async () => {
    const store = createJournalStore({ file, cipher: createTestCipher() })
    const writes = Array.from({ length: 25 }, (_, i) => store.write(Array.from({ length: i + 1 }, (_, n) => entry(n))))
    await Promise.all(writes)
    await store.flush()
    const read = await store.read()
    expect(read.kind === 'ok' && read.entries.length).toBe(25)
    expect(await readdir(join(dir, 'journal'))).toEqual(['outbox-journal.bin'])
  })

  it('refuses entries that do not parse and keeps the previous journal', async () => {
    const store = createJournalStore({ file, cipher: createTestCipher() })
    await store.write([entry(1)])
    await expect(store.write([{ ...entry(2), id: '' }])).rejects.toThrow(/journal entries/)
    const read = await store.read()
    expect(read.kind === 'ok' && read.entries.map((e) => e.id)).toEqual(['entry-1'])
  })

  it('rejects a write the disk refuses, and flush reports it', async () => {
    await writeFile(join(dir, 'journal'), 'a file where the directory should be')
    const store = createJournalStore({ file, cipher: createTestCipher() })
    await expect(store.write([entry(1)])).rejects.toThrow()
    await expect(store.flush()).rejects.toThrow()
  })
})
