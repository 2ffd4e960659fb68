import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { readSyncState, type SyncPhase } from '../../../../renderer/src/db/sync-state'
import { createStatusPublisher, STATUS_WRITE_DELAY_MS, type EngineSnapshot } from '../../../../renderer/src/sync/status-publisher'
import { freshDb, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('status')
})
afterEach(() => db.close())

const snap = (phase: SyncPhase): EngineSnapshot => ({
  phase,
  online: phase !== 'offline',
  leader: true,
  inFlight: 0,
  pausedUntil: 0,
  lastError: null,
  lastSuccess: 42,
  credentialsRejected: null,
  reconcile: null,
})

describe('status publisher', () => {
  it('tells listeners every change at once and stores only the latest phase of a burst', async () => {
    let current = snap('idle')
    const status = createStatusPublisher(db, () => current)
    const seen: SyncPhase[] = []
    const unsubscribe = status.subscribe((s) => seen.push(s.phase))
    for (const phase of ['pushing', 'idle', 'pushing', 'offline'] as const) {
      current = snap(phase)
      status.publish()
    }
    expect(seen).toEqual(['pushing', 'idle', 'pushing', 'offline'])
    expect(await readSyncState(db, 'status')).toBeNull()
    await waitUntil(async () => (await readSyncState(db, 'status')) !== null, STATUS_WRITE_DELAY_MS * 8, 'the stored status')
    expect(await readSyncState(db, 'status')).toMatchObject({ phase: 'offline', online: false })
    expect(await readSyncState(db, 'lastSuccess')).toBe(42)
    unsubscribe()
    status.publish()
    expect(seen).toHaveLength(4)
    status.close()
  })

  it('writes nothing after it is closed', async () => {
    const status = createStatusPublisher(db, () => snap('pushing'))
    status.publish()
    status.close()
    await new Promise((r) => setTimeout(r, STATUS_WRITE_DELAY_MS * 2))
    expect(await readSyncState(db, 'status')).toBeNull()
  })
})
