import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { getEntryHistory, getUserHistory } from '../../../../renderer/src/db/queries'
import type { HistoryRow } from '../../../../renderer/src/db/rows'
import { freshDb } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('history')
})
afterEach(() => db.close())

const base = { entryId: 'e1', kind: 'create' as const, detail: '' }
const SERVER_ID = '00000000-0000-4000-8000-000000000001'

/** A create's timeline as an earlier version stored it: one row per step. */
const stepPerRow: HistoryRow[] = [
  { ...base, userKey: 'local-1', step: 'queued', at: 1 },
  { ...base, userKey: 'local-1', step: 'sent', at: 2 },
  { ...base, userKey: 'local-1', step: 'retry', at: 3, detail: 'HTTP 503' },
  { ...base, userKey: 'local-1', step: 'sent', at: 4, detail: 'attempt 2' },
  { ...base, userKey: SERVER_ID, step: 'applied', at: 5, detail: `created as ${SERVER_ID}` },
  { ...base, userKey: SERVER_ID, step: 'rekeyed', at: 5, detail: SERVER_ID },
]

/** The same timeline as it is stored now: each attempt on the row that ended it. */
const compact: HistoryRow[] = [
  { ...base, userKey: 'local-1', step: 'queued', at: 1 },
  { ...base, userKey: 'local-1', step: 'retry', at: 3, detail: 'HTTP 503', sentAt: 2, attempt: 1 },
  { ...base, userKey: SERVER_ID, step: 'applied', at: 5, detail: `created as ${SERVER_ID}`, sentAt: 4, attempt: 2, rekeyedTo: SERVER_ID },
]

// What a person reads: the step, its time and its detail.
const shown = (rows: readonly HistoryRow[]) => rows.map((r) => `${r.step}@${r.at}:${r.detail}`)

describe('history', () => {
  it('reads the compact rows as the same steps an earlier version stored one by one', async () => {
    await db.history.bulkAdd(stepPerRow)
    const before = shown(await getEntryHistory('e1', db))
    const beforeUser = shown(await getUserHistory(SERVER_ID, db))
    await db.history.clear()
    await db.history.bulkAdd(compact)
    expect(shown(await getEntryHistory('e1', db))).toEqual(before)
    expect(shown(await getUserHistory(SERVER_ID, db))).toEqual(beforeUser)
    expect(before.map((s) => s.split('@')[0])).toEqual(['queued', 'sent', 'retry', 'sent', 'applied', 'rekeyed'])
  })
})
