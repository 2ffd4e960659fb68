import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FeedBatch } from '../../../../shared/ipc/contract'
import type { ListUsersResponse } from '../../../../shared/schemas/list'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { readSyncState } from '../../../../renderer/src/db/sync-state'
import { createFeedApplier } from '../../../../renderer/src/sync/feed-applier'
import { createReconcileScheduler } from '../../../../renderer/src/sync/reconcile-scheduler'
import { createSendGate } from '../../../../renderer/src/sync/send-gate'
import { freshDb, serverUser, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('parts')
})
afterEach(() => db.close())

describe('reconcile scheduler', () => {
  it('joins a second request to the running reconcile, and starts the first periodic run at once on a new database', async () => {
    const users = [serverUser(), serverUser()]
    let calls = 0
    let changes = 0
    const listUsers = async (): Promise<{ ok: true; value: ListUsersResponse }> => {
      calls += 1
      await new Promise((r) => setTimeout(r, 20))
      return {
        ok: true,
        value: {
          data: users,
          meta: { offset: 0, limit: 1000, count: users.length, total_count: users.length, sort: 'created_at', order: 'ASC' },
        } as ListUsersResponse,
      }
    }
    const gate = createSendGate(Date.now)
    let stopped = false
    const scheduler = createReconcileScheduler({
      db,
      transport: { listUsers },
      gate,
      now: Date.now,
      isStopped: () => stopped,
      onChange: () => (changes += 1),
      intervalMs: 60_000,
    })
    const [a, b] = await Promise.all([scheduler.run(), scheduler.run()])
    // A full run: the newest change (the mark), then the page.
    expect(a).toEqual({ ok: true, kind: 'full', fetched: 2, removed: 0, requests: 2 })
    expect(b).toBe(a)
    expect(calls).toBe(2)
    expect(changes).toBeGreaterThanOrEqual(2)
    expect(scheduler.running).toBe(false)
    expect(scheduler.progress).toMatchObject({ fetched: 2, done: true })
    expect(gate.lastSuccess).not.toBeNull()

    // A database that never reconciled gets a run at once; one reconciled just now waits an interval.
    const fresh = createReconcileScheduler({
      db: freshDb('parts-periodic'),
      transport: { listUsers },
      gate,
      now: Date.now,
      isStopped: () => stopped,
      onChange: () => undefined,
    })
    await fresh.startPeriodic()
    await waitUntil(() => calls === 4, 2000, 'the first periodic reconcile')
    await scheduler.startPeriodic()
    await new Promise((r) => setTimeout(r, 60))
    expect(calls).toBe(4)
    stopped = true
    scheduler.close()
    fresh.close()
  })
})

describe('feed applier', () => {
  it('applies batches in arrival order and confirms each cursor only after its events are stored', async () => {
    const confirmed: string[] = []
    let applied = 0
    const feed = createFeedApplier({
      db,
      now: Date.now,
      isStopped: () => false,
      onChange: () => undefined,
      onApplied: () => (applied += 1),
      transport: {
        confirmFeedBatch: async ({ cursor }) => {
          // Confirmed only once the batch's cursor is stored.
          expect(await readSyncState(db, 'cursor')).toBe(cursor)
          confirmed.push(cursor)
          return null
        },
      },
    })
    const user = serverUser()
    const event = (id: string, cursor: string): FeedBatch =>
      ({
        cursor,
        events: [{ id, type: 'USER.CREATED', created_at: user.created_at, object: user, webhook_id: 'w' }],
      }) as unknown as FeedBatch
    const first = feed.apply(event('ev-1', 'c1'))
    expect(feed.pulling).toBe(0)
    const second = feed.apply(event('ev-1', 'c2'))
    expect(await first).toEqual({ applied: 1, duplicates: 0 })
    expect(await second).toEqual({ applied: 0, duplicates: 1 })
    await feed.settled()
    expect(confirmed).toEqual(['c1', 'c2'])
    expect(applied).toBe(1)
    expect(feed.pulling).toBe(0)
  })
})
