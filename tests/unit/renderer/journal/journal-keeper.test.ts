// The journal keeper on fake-indexeddb: outbox changes reach main's journal (debounced), a
// failed write is retried at the next change, and unreadable entries are carried along.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { keepJournal } from '../../../../renderer/src/db/journal-keeper'
import { enqueueCreate, enqueueDataChange } from '../../../../renderer/src/db/outbox-repository'
import type { JournalEntry } from '../../../../shared/ipc/journal'
import { createBody, emailChange, freshDb, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
let stop: () => void = () => undefined
beforeEach(() => {
  db = freshDb('keeper')
})
afterEach(async () => {
  stop()
  db.close()
  await db.delete()
})

const carried: JournalEntry = { id: 'old', userKey: 'u', kind: 'offboard', idempotencyKey: 'k', createdAt: 'x', entry: { unknown: true } }

describe('journal keeper', () => {
  it('writes the unsent entries after each change and retries a failed write at the next one', async () => {
    const writes: string[][] = []
    const failures: unknown[] = []
    let failNext = false
    stop = keepJournal(
      db,
      async (entries) => {
        if (failNext) {
          failNext = false
          throw new Error('main is busy')
        }
        writes.push(entries.map((e) => e.id))
      },
      [carried],
      (_message, error) => failures.push(error),
    )
    await waitUntil(() => writes.length > 0, 10_000, 'the first journal write')
    expect(writes.at(-1)).toEqual(['old'])

    const { userKey, entryId } = await enqueueCreate(createBody(1), db)
    await waitUntil(() => writes.at(-1)?.length === 2, 10_000, 'the create journaled')
    expect(writes.at(-1)).toEqual([entryId, 'old'])

    failNext = true
    const change = await enqueueDataChange(userKey, emailChange('a@b.de'), db)
    await waitUntil(() => failures.length === 1, 10_000, 'the failed write')
    expect(writes.at(-1)).toEqual([entryId, 'old'])

    const second = await enqueueDataChange(userKey, emailChange('c@d.de'), db)
    await waitUntil(() => writes.at(-1)?.length === 4, 10_000, 'the retry at the next change')
    expect(writes.at(-1)).toEqual([entryId, change.entryId, second.entryId, 'old'])
  })
})
