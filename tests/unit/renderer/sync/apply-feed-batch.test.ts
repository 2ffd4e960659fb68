import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { UserEvent } from '../../../../shared/schemas/events'
import type { User } from '../../../../shared/schemas/user'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { enqueueDataChange } from '../../../../renderer/src/db/outbox-repository'
import { getEntryHistory } from '../../../../renderer/src/db/queries'
import { readSyncState } from '../../../../renderer/src/db/sync-state'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { APPLIED_EVENT_RETENTION_MS, applyFeedBatch, pruneAppliedEvents } from '../../../../renderer/src/sync/apply-feed-batch'
import { emailChange, freshDb, serverUser } from '../../../support/sync/fixtures'

let db: OutpostDb
let n = 0
beforeEach(() => {
  db = freshDb('events')
})
afterEach(() => db.close())

function event(type: Exclude<UserEvent['type'], 'USER.DATA_CHANGE_FAILED'>, object: User): UserEvent {
  n += 1
  return {
    id: `eeeeeeee-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created_at: '2026-01-01T00:00:00Z',
    webhook_id: '11111111-1111-4111-8111-111111111111',
    type,
    object,
  } as UserEvent
}

describe('applyFeedBatch', () => {
  it('applies each event once and stores the cursor with it', async () => {
    const user = serverUser()
    const created = event('USER.CREATED', user)
    expect(await applyFeedBatch(db, { cursor: 'c1', events: [created, created] }, 1)).toEqual({ applied: 1, duplicates: 1 })
    expect(await applyFeedBatch(db, { cursor: 'c2', events: [created] }, 2)).toEqual({ applied: 0, duplicates: 1 })
    expect(await db.users.get(user.id)).toMatchObject({ status: 'ACTIVE' })
    expect(await readSyncState(db, 'cursor')).toBe('c2')
  })

  it('never moves a row backwards (late and out-of-order events)', async () => {
    const v1 = serverUser({ updated_at: '2026-01-01T00:00:00Z' })
    const v2 = { ...v1, status: 'OFFBOARDING' as const, updated_at: '2026-01-02T00:00:00Z' }
    await applyFeedBatch(db, { cursor: 'c1', events: [event('USER.OFFBOARDING_INITIATED', v2)] }, 1)
    await applyFeedBatch(db, { cursor: 'c2', events: [event('USER.ACTIVATED', v1)] }, 2)
    expect((await db.users.get(v1.id))?.status).toBe('OFFBOARDING')
  })

  it('DATA_CHANGED finishes the awaiting change it shows; a late event of another change does not', async () => {
    const user = serverUser()
    await db.users.put(rowFromServerUser(user, 1, 0))
    const { entryId } = await enqueueDataChange(user.id, emailChange('new@x.de'), db, 0)
    const entry = (await db.outbox.where('id').equals(entryId).first())!
    await db.outbox.put({ ...entry, state: 'awaiting', acceptedAt: 1 })
    const stale = { ...user, email: 'old@x.de', updated_at: '2026-01-02T00:00:00Z' }
    await applyFeedBatch(db, { cursor: 'c1', events: [event('USER.DATA_CHANGED', stale)] }, 2)
    expect(await db.outbox.count()).toBe(1)
    const done = { ...user, email: 'new@x.de', updated_at: '2026-01-03T00:00:00Z' }
    await applyFeedBatch(db, { cursor: 'c2', events: [event('USER.DATA_CHANGED', done)] }, 3)
    expect(await db.outbox.count()).toBe(0)
    expect((await db.users.get(user.id))?.user?.email).toBe('new@x.de')
    expect((await getEntryHistory(entryId, db)).map((h) => h.step)).toEqual(['queued', 'event', 'event', 'applied'])
  })

  it('an event that beats the answer to its request still shows the request as sent first', async () => {
    const user = serverUser()
    await db.users.put(rowFromServerUser(user, 1, 0))
    const { entryId } = await enqueueDataChange(user.id, emailChange('new@x.de'), db, 0)
    const entry = (await db.outbox.where('id').equals(entryId).first())!
    await db.outbox.put({ ...entry, state: 'sending', attempts: 1, updatedAt: 5 })
    const done = { ...user, email: 'new@x.de', updated_at: '2026-01-03T00:00:00Z' }
    await applyFeedBatch(db, { cursor: 'c1', events: [event('USER.DATA_CHANGED', done)] }, 9)
    expect(await db.outbox.count()).toBe(0)
    expect((await getEntryHistory(entryId, db)).map((h) => `${h.step}@${h.at}`)).toEqual(['queued@0', 'sent@5', 'event@9', 'applied@9'])
  })

  it('DATA_CHANGE_FAILED parks the matching entry with the reason', async () => {
    const user = serverUser()
    await db.users.put(rowFromServerUser(user, 1, 0))
    const { entryId } = await enqueueDataChange(user.id, emailChange('new@x.de'), db)
    const entry = (await db.outbox.where('id').equals(entryId).first())!
    await db.outbox.put({ ...entry, state: 'awaiting', acceptedAt: 1 })
    n += 1
    const failed: UserEvent = {
      id: `eeeeeeee-0000-4000-8000-${String(n).padStart(12, '0')}`,
      created_at: '2026-01-01T00:00:00Z',
      webhook_id: '11111111-1111-4111-8111-111111111111',
      type: 'USER.DATA_CHANGE_FAILED',
      object: { user_id: user.id, reason: 'document unreadable' },
    }
    await applyFeedBatch(db, { cursor: 'c1', events: [failed] }, 2)
    const parked = await db.outbox.where('id').equals(entryId).first()
    expect(parked).toMatchObject({ state: 'parked', lastError: { message: 'document unreadable' } })
  })

  it('commits nothing when the batch fails midway, cursor included', async () => {
    const user = serverUser()
    const bad = { ...event('USER.CREATED', user), object: null } as unknown as UserEvent
    await expect(applyFeedBatch(db, { cursor: 'c9', events: [event('USER.CREATED', serverUser()), bad] }, 1)).rejects.toThrow()
    expect(await db.appliedEvents.count()).toBe(0)
    expect(await readSyncState(db, 'cursor')).toBeNull()
  })

  it('forgets applied event ids after the retention', async () => {
    await db.appliedEvents.bulkAdd([
      { id: 'old', appliedAt: 0 },
      { id: 'new', appliedAt: APPLIED_EVENT_RETENTION_MS + 10 },
    ])
    expect(await pruneAppliedEvents(db, APPLIED_EVENT_RETENTION_MS + 5)).toBe(1)
    expect((await db.appliedEvents.toArray()).map((e) => e.id)).toEqual(['new'])
  })
})
