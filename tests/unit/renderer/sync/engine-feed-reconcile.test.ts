import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { readSyncState } from '../../../../renderer/src/db/sync-state'
import type { SyncEngine } from '../../../../renderer/src/sync/engine'
import type { UserEvent } from '../../../../shared/schemas/events'
import { startEngine } from '../../../support/sync/engine-harness'
import { FakeUsersApi } from '../../../support/sync/fake-users-api'
import { createBody, freshDb, serverUser, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
let api: FakeUsersApi
let engine: SyncEngine | null = null
beforeEach(() => {
  db = freshDb('engine-feed')
  api = new FakeUsersApi()
})
afterEach(async () => {
  await engine?.stop()
  engine = null
  api.close()
  db.close()
})

describe('sync engine: feed batches and reconcile', () => {
  it('confirms a batch cursor only after its events are committed, and never for a failed batch', async () => {
    const transport = api.transport()
    engine = startEngine(db, transport)
    const user = serverUser()
    const event = {
      id: 'eeeeeeee-0000-4000-8000-0000000000aa',
      created_at: user.created_at,
      webhook_id: '11111111-1111-4111-8111-111111111111',
      type: 'USER.CREATED',
      object: user,
    } as UserEvent
    await engine.applyFeedBatch({ cursor: 'c1', events: [event] })
    expect(transport.confirmed).toEqual(['c1'])
    expect(await readSyncState(db, 'cursor')).toBe('c1')

    const broken = { ...event, id: 'eeeeeeee-0000-4000-8000-0000000000bb', object: null } as unknown as UserEvent
    await expect(engine.applyFeedBatch({ cursor: 'c2', events: [broken] })).rejects.toThrow()
    expect(transport.confirmed).toEqual(['c1'])
    expect(await readSyncState(db, 'cursor')).toBe('c1')
    // The next batch still goes through (the chain is not stuck on the failure).
    await engine.applyFeedBatch({ cursor: 'c3', events: [] })
    expect(transport.confirmed).toEqual(['c1', 'c3'])
  })

  it('reconciles on first start and reports progress in its snapshot', async () => {
    for (let i = 0; i < 30; i++) await api.createUser(createBody(i), `k${i}`)
    engine = startEngine(db, api.transport(), { autoReconcile: true, reconcilePageSize: 10 })
    const phases = new Set<string>()
    engine.subscribe((s) => phases.add(s.phase))
    await waitUntil(async () => (await readSyncState(db, 'lastFullReconcile')) !== null, 10_000, 'first reconcile')
    expect(await db.users.count()).toBe(30)
    expect(engine.snapshot().reconcile).toMatchObject({ fetched: 30, total: 30, done: true })
    expect(phases.has('reconciling')).toBe(true)
  })
})
