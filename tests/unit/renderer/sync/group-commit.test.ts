import Dexie from 'dexie'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { createGroupCommitter } from '../../../../renderer/src/sync/group-commit'
import { freshDb } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('group')
})
afterEach(() => db.close())

const record = (detail: string) => () => db.history.add({ entryId: detail, userKey: 'u', kind: 'create', step: 'queued', at: 0, detail })

describe('group commit', () => {
  it('runs jobs queued together in one transaction and returns each result', async () => {
    const commit = createGroupCommitter(db)
    const transactions = new Set<unknown>()
    const job = (n: number) => async () => {
      transactions.add(Dexie.currentTransaction)
      await record(`j${n}`)()
      return n
    }
    expect(await Promise.all([1, 2, 3].map((n) => commit(job(n))))).toEqual([1, 2, 3])
    expect(transactions.size).toBe(1)
    expect(await db.history.count()).toBe(3)
  })

  it('isolates a failing job: the others still commit, each on its own', async () => {
    const commit = createGroupCommitter(db)
    const results = await Promise.allSettled([
      commit(record('a')),
      // Like every real commit job: its own (nested) transaction, all or nothing.
      commit(() =>
        db.transaction('rw', db.history, async () => {
          await record('bad')()
          throw new Error('boom')
        }),
      ),
      commit(record('c')),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((await db.history.toArray()).map((h) => h.detail).sort()).toEqual(['a', 'c'])
  })
})
