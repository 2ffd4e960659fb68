// Real IndexedDB semantics in Node for Dexie (this file runs in the `node` project).
import 'fake-indexeddb/auto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { User } from '../../../shared/schemas/user'
import { FakeUsersApi } from '../../support/sync/fake-users-api'
import { runSequence, sequenceArb, type PropertyWorld } from '../../support/sync/property-model'
import { allServerUsers, startSyncWorld, type SyncWorld } from './harness'

/** `npm test` runs this many against the in-process fake; `npm run soak` sets thousands. */
const FAKE_RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 200)
const SANDBOX_RUNS = Number(process.env.SYNC_PROPERTY_SANDBOX_RUNS ?? 12)
/** Reproduce a failure with SYNC_PROPERTY_SEED=<printed seed>. */
const SEED = Number(process.env.SYNC_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31))

/** Generous: a sequence takes well under a second; the soak runs thousands. */
const timeoutFor = (runs: number) => Math.max(600_000, runs * 2_000)

let sequence = 0

function fakeWorld(): PropertyWorld {
  const api = new FakeUsersApi({ settleMs: 0, retryAfterMs: 20 })
  sequence += 1
  return {
    transport: api.transport(),
    label: `f${sequence}`,
    injectFault: async (fault) => api.injectFaults(fault),
    clearFaults: async () => api.clearFaults(),
    setOnline: (online) => void (api.online = online),
    takeFeedBatch: () => api.takeFeedBatch(),
    serverUsers: async () => [...api.users.values()],
    async office(action, userId, email) {
      const user = api.users.get(userId)
      if (user === undefined) return
      const settled = user.status === 'OFFBOARDING' || user.status === 'OFFBOARDED'
      switch (action) {
        case 'change':
          if (!settled) api.changeElsewhere(userId, { email })
          return
        case 'offboard':
          if (!settled) api.offboardElsewhere(userId)
          return
        case 'deactivate':
          if (user.status === 'ACTIVE') api.setActive(userId, false)
          return
        case 'reactivate':
          if (user.status === 'INACTIVE') api.setActive(userId, true)
          return
      }
    },
    failNextDataChange: async () => api.failNextDataChanges(1),
    loseNextDataChangeAnswer: async () => api.injectFaultFor('requestDataChange', 'timeout_after_commit'),
    allEvents: () => api.events,
    expectBase: (body, base) => api.expectBase(body, base),
    overwrites: () => api.overwrites,
    callTimes: () => api.callTimes,
    close: async () => api.close(),
  }
}

function sandboxWorld(world: SyncWorld): PropertyWorld {
  sequence += 1
  return {
    transport: world.transport,
    label: `s${sequence}x${SEED % 100_000}`,
    async injectFault(fault) {
      switch (fault) {
        // Aimed faults and refused credentials are driven in the engine's own tests, not by this model.
        case 'none':
        case 'auth':
          return
        case 'network':
          return world.faults({ dropNext: 1 })
        case 'timeout_after_commit':
          return world.faults({ timeoutAfterCommitNext: 1 })
        case 'server':
          return world.faults({ errorRate: 0.3, errorStatus: 503 })
        case 'rate_limited':
          return world.faults({ rateLimitNext: 1, retryAfterSeconds: 0 })
      }
    },
    clearFaults: async () => void (await world.admin('DELETE', '/faults')),
    setOnline: (online) => void (world.transport.online = online),
    takeFeedBatch: () => world.takeFeedBatch(),
    serverUsers: async (): Promise<User[]> => allServerUsers(world.api),
    async office(action, userId, email) {
      // The simulator refuses what its rules do not allow (offboarding an offboarded user): that is the world, not a failure.
      const path = `/back-office/users/${userId}/${action}`
      if (action === 'change') await world.admin('POST', path, { email })
      else if (action === 'offboard') await world.admin('POST', path, { immediately: true })
      else await world.admin('POST', path, {})
    },
    failNextDataChange: async () => void (await world.admin('POST', '/data-changes/reject-next', { reason: 'refused by the model' })),
    loseNextDataChangeAnswer: () => world.faults({ timeoutAfterCommitNext: 1 }),
    allEvents: () => world.allEvents(),
    // The simulator cannot tell when the client read a value: the overwrite check runs against the fake.
    expectBase: () => undefined,
    overwrites: () => [],
    // Calls of every sequence share the simulator: the rate check runs against the fake.
    callTimes: () => null,
    close: async () => undefined,
  }
}

async function check(makeWorld: () => PropertyWorld, runs: number, seed: number): Promise<void> {
  console.log(`sync property test: seed ${seed}, ${runs} sequences (reproduce with SYNC_PROPERTY_SEED=${seed})`)
  await fc.assert(
    fc.asyncProperty(sequenceArb, async ({ ops, randomSeed }) => {
      const world = makeWorld()
      try {
        await runSequence(world, ops, randomSeed, `property-${world.label}-${Math.random().toString(36).slice(2)}`)
      } finally {
        await world.close()
      }
    }),
    { numRuns: runs, seed, endOnFailure: true },
  )
}

describe('sync engine property: random actions, faults and restarts end in the intended server state', () => {
  it(`holds for ${FAKE_RUNS} sequences against the in-process API fake`, { timeout: timeoutFor(FAKE_RUNS) }, async () => {
    await check(fakeWorld, FAKE_RUNS, SEED)
  })

  describe('against the real simulator', () => {
    let world: SyncWorld
    beforeAll(async () => {
      world = await startSyncWorld({ dataChangeDelayMs: 5, offboardDelayMs: 20, timeoutAfterCommitHoldMs: 20 })
    })
    afterAll(async () => {
      await world?.close()
    })
    it(`holds for ${SANDBOX_RUNS} sequences`, { timeout: timeoutFor(SANDBOX_RUNS) }, async () => {
      await check(() => sandboxWorld(world), SANDBOX_RUNS, SEED + 1)
    })
  })
})
