import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { enqueueDataChange } from '../../../../renderer/src/db/outbox-repository'
import type { OutboxEntry } from '../../../../renderer/src/db/rows'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { createPump, type Pump } from '../../../../renderer/src/sync/pump'
import { createSendGate, type SendGate } from '../../../../renderer/src/sync/send-gate'
import { emailChange, freshDb, serverUser, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
let pump: Pump | undefined
beforeEach(() => {
  db = freshDb('pump')
})
afterEach(() => {
  pump?.close()
  db.close()
})

/** Three users with two queued changes each. */
async function seed(): Promise<string[]> {
  const ids: string[] = []
  for (let u = 0; u < 3; u++) {
    const user = serverUser()
    await db.users.put(rowFromServerUser(user, 0, 0))
    for (let n = 0; n < 2; n++) ids.push((await enqueueDataChange(user.id, emailChange(`u${u}-${n}@example.com`), db)).entryId)
  }
  return ids
}

/** A pump whose runs wait until released; finishing a run deletes its entry. */
function pumpWith(gate: SendGate, limits: { concurrency: number; markAhead: number }) {
  const running = new Map<string, () => void>()
  const started: OutboxEntry[] = []
  pump = createPump({
    db,
    gate,
    now: Date.now,
    ...limits,
    awaitTimeoutMs: 60_000,
    pollIntervalMs: 60_000,
    active: () => true,
    onChange: () => undefined,
    run: (entry) => {
      started.push(entry)
      return new Promise<void>((resolve) => running.set(entry.id, resolve)).then(() => db.outbox.delete(entry.seq!))
    },
  })
  return { pump, started, running }
}

describe('pump', () => {
  it('runs lane heads only, one per user, at most concurrency + markAhead at a time, in lane order', async () => {
    const ids = await seed()
    const { pump, started, running } = pumpWith(createSendGate(Date.now), { concurrency: 1, markAhead: 1 })
    pump.kick()
    await waitUntil(() => started.length === 2, 2000, 'two lane heads')
    expect(started.map((e) => e.id)).toEqual([ids[0], ids[2]])
    expect(pump.inFlight).toBe(2)
    running.get(ids[0]!)!()
    // The freed lane's next entry, or the third user's head, takes the place.
    await waitUntil(() => started.length === 3, 2000, 'a third run')
    expect([ids[1], ids[4]]).toContain(started[2]!.id)
    expect(new Set(started.map((e) => e.userKey)).size).toBeGreaterThanOrEqual(2)
  })

  it('starts nothing while offline, and drains once kicked back online', async () => {
    await seed()
    const gate = createSendGate(Date.now)
    gate.setOnline(false)
    const { pump, started, running } = pumpWith(gate, { concurrency: 4, markAhead: 0 })
    pump.kick()
    await new Promise((r) => setTimeout(r, 50))
    expect(started).toHaveLength(0)
    gate.setOnline(true)
    pump.kick()
    await waitUntil(() => started.length === 3, 2000, 'three lane heads')
    for (;;) {
      const next = [...running.entries()]
      running.clear()
      next.forEach(([, release]) => release())
      if ((await db.outbox.count()) === 0) break
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(started).toHaveLength(6)
    await pump.settled()
    expect(pump.inFlight).toBe(0)
  })
})
