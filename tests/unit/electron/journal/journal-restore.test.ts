// The restore rule at start: journaled entries the database has lost come back in queue
// order; entries still queued, or finished after the journal was written, do not.
// The last case reads the plan's input from a real journal file written by an earlier store;
// tests/unit/renderer/journal runs the same rule against a fresh IndexedDB with the renderer's schema.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createJournalStore } from '../../../../electron/services/journal/journal-store'
import type { JournalEntry } from '../../../../shared/ipc/journal'
import { planJournalRestore, type DatabaseEntryView } from '../../../../shared/ipc/journal-restore'
import { createTestCipher } from './test-cipher'

function entry(id: string, userKey = 'local-a', kind: JournalEntry['kind'] = 'create'): JournalEntry {
  return { id, userKey, kind, idempotencyKey: `key-${id}`, createdAt: '2026-11-27T00:00:00.000Z', entry: { id, kind } }
}
const view = (outbox: string[], known: string[] = []): DatabaseEntryView => ({ outboxIds: new Set(outbox), knownIds: new Set(known) })

describe('planJournalRestore', () => {
  const journal = [entry('c1'), entry('d1', 'local-a', 'dataChange'), entry('o1', 'u-9', 'offboard')]

  it('restores everything into a database that lost it all, in journal order', () => {
    expect(planJournalRestore(journal, view([]))).toEqual({ restore: journal, present: 0, finished: 0 })
  })

  it('restores nothing into an intact database', () => {
    expect(planJournalRestore(journal, view(['c1', 'd1', 'o1']))).toEqual({ restore: [], present: 3, finished: 0 })
  })

  it('never re-queues an entry that finished after the journal was written', () => {
    expect(planJournalRestore(journal, view(['d1'], ['c1', 'o1']))).toEqual({ restore: [], present: 1, finished: 2 })
    expect(planJournalRestore(journal, view([], ['c1']))).toEqual({ restore: journal.slice(1), present: 0, finished: 1 })
  })

  it('restores a duplicated journal entry once', () => {
    expect(planJournalRestore([entry('c1'), entry('c1')], view([])).restore).toEqual([entry('c1')])
  })
})

describe('restore from the journal file of an earlier run', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outpost-restore-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('plans from what a new store object reads back', async () => {
    const file = join(dir, 'outbox-journal.bin')
    const cipher = createTestCipher()
    await createJournalStore({ file, cipher }).write([entry('c1'), entry('d1', 'local-a', 'dataChange')])
    const read = await createJournalStore({ file, cipher }).read()
    if (read.kind !== 'ok') throw new Error(`journal unreadable: ${read.kind}`)
    expect(planJournalRestore(read.entries, view([], ['c1'])).restore.map((e) => e.id)).toEqual(['d1'])
  })
})
