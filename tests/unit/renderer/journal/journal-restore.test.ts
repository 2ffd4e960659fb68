// The journal restore rule against a fresh IndexedDB (fake-indexeddb) opened with the
// renderer's own schema, as after an update or downgrade that lost the database: the
// journal arrives as readJournal's IPC output and is parsed with the contract first.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type OutpostDb } from '../../../../renderer/src/db/database'
import { ipcContract } from '../../../../shared/ipc/contract'
import { planJournalRestore, type DatabaseEntryView } from '../../../../shared/ipc/journal-restore'
import { parseUnknown } from '../../../../shared/parse'

const fromMain: unknown = {
  entries: [
    {
      id: 'c1',
      userKey: 'local-a',
      kind: 'create',
      idempotencyKey: 'k-c1',
      createdAt: '2026-11-27T00:00:00.000Z',
      entry: {},
      userRow: { key: 'local-a' },
    },
    { id: 'd1', userKey: 'local-a', kind: 'dataChange', idempotencyKey: 'k-d1', createdAt: '2026-11-27T00:00:01.000Z', entry: {} },
    { id: 'o1', userKey: 'u-9', kind: 'offboard', idempotencyKey: 'k-o1', createdAt: '2026-11-27T00:00:02.000Z', entry: {} },
  ],
}

describe('journal restore into a fresh database', () => {
  let db: OutpostDb

  beforeEach(async () => {
    db = openDatabase(`outpost-restore-${crypto.randomUUID()}`)
    await db.open()
  })
  afterEach(async () => {
    db.close()
    await db.delete()
  })

  /** What the database knows: the outbox's entry ids, and the history's (finished entries included). */
  async function databaseView(): Promise<DatabaseEntryView> {
    const [outbox, history] = await Promise.all([db.outbox.toArray(), db.history.toArray()])
    return { outboxIds: new Set(outbox.map((e) => e.id)), knownIds: new Set(history.map((h) => h.entryId)) }
  }

  it('brings back every journaled entry a lost database lacks, and only those', async () => {
    const { entries } = parseUnknown(ipcContract.readJournal.output, fromMain, 'readJournal')
    expect(planJournalRestore(entries, await databaseView()).restore.map((e) => e.id)).toEqual(['c1', 'd1', 'o1'])

    // c1 finished (history only) and o1 is still queued: only d1 comes back.
    await db.history.add({ entryId: 'c1', userKey: 'local-a', kind: 'create', step: 'applied', at: 1, detail: '' })
    await db.outbox.add({
      id: 'o1',
      userKey: 'u-9',
      kind: 'offboard',
      payload: {},
      idempotencyKey: 'k-o1',
      state: 'queued',
      attempts: 0,
      nextAttemptAt: 0,
      lastError: null,
      createdAt: 1,
      updatedAt: 1,
      firstSentAt: null,
      acceptedAt: null,
    })
    const plan = planJournalRestore(entries, await databaseView())
    expect(plan.restore.map((e) => e.id)).toEqual(['d1'])
    expect(plan).toMatchObject({ present: 1, finished: 1 })
  })
})
