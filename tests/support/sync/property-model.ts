/**
 * The randomized model test of the sync engine: random sequences of user actions, API
 * faults, connectivity changes, event deliveries (duplicated, reversed) and restarts
 * (the engine dropped mid-drain and the database reopened) against a "world" (the
 * in-process fake or the real simulator). Afterwards the server must hold exactly the
 * intended result: each create once, every change and offboarding applied, an empty outbox.
 */
import fc from 'fast-check'
import { openDatabase, type OutpostDb } from '../../../renderer/src/db/database'
import { enqueueCreate, enqueueDataChange, enqueueOffboard, OutboxError } from '../../../renderer/src/db/outbox-repository'
import { getEntryHistory } from '../../../renderer/src/db/queries'
import { isLocalKey } from '../../../renderer/src/db/rows'
import type { SyncEngine } from '../../../renderer/src/sync/engine'
import type { SyncTransport } from '../../../renderer/src/sync/transport'
import type { FeedBatch } from '../../../shared/ipc/contract'
import type { User } from '../../../shared/schemas/user'
import { startEngine } from './engine-harness'
import type { FaultKind } from './fake-users-api'
import { createBody, emailChange, waitUntil } from './fixtures'

export interface PropertyWorld {
  readonly transport: SyncTransport
  /** A distinct label per sequence, so users of different sequences never collide on a shared server. */
  readonly label: string
  injectFault(fault: FaultKind): Promise<void>
  clearFaults(): Promise<void>
  setOnline(online: boolean): void
  takeFeedBatch(): FeedBatch | null
  serverUsers(): Promise<readonly User[]>
  close(): Promise<void>
}

export type Op =
  | { readonly kind: 'create' }
  | { readonly kind: 'change'; readonly target: number; readonly value: number }
  | { readonly kind: 'offboard'; readonly target: number }
  | { readonly kind: 'fault'; readonly fault: FaultKind }
  | { readonly kind: 'offline' }
  | { readonly kind: 'online' }
  | { readonly kind: 'restart' }
  | { readonly kind: 'progress' }
  | { readonly kind: 'events'; readonly duplicate: boolean; readonly reverse: boolean }

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'create' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('change' as const), target: fc.nat(20), value: fc.nat(1000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offboard' as const), target: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      fault: fc.constantFrom<FaultKind>('network', 'timeout_after_commit', 'server', 'rate_limited'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'offline' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'online' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'progress' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('events' as const), duplicate: fc.boolean(), reverse: fc.boolean() }) },
)

export const sequenceArb = fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 18 }), randomSeed: fc.integer() })

interface ModelUser {
  readonly n: number
  readonly createEntryId: string
  localKey: string
  cancelled: boolean
  offboarded: boolean
  email: string | undefined
}

/** mulberry32: the engine's jitter, reproducible per sequence. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SETTLE_TIMEOUT_MS = 60_000
const PROGRESS_WAIT_MS = 100

/** Runs one sequence; throws (with what differed) when the end state is not the intended one. */
export async function runSequence(world: PropertyWorld, ops: readonly Op[], randomSeed: number, dbName: string): Promise<void> {
  const random = seededRandom(randomSeed)
  const timing = { random, backoff: { baseMs: 2, capMs: 30 }, awaitTimeoutMs: 100, pollIntervalMs: 30 }
  let db: OutpostDb = openDatabase(dbName)
  let engine: SyncEngine = startEngine(db, world.transport, timing)
  const users: ModelUser[] = []
  let created = 0

  const deliver = async (duplicate: boolean, reverse: boolean) => {
    const batch = world.takeFeedBatch()
    if (batch === null) return
    let events = reverse ? [...batch.events].reverse() : batch.events
    if (duplicate) events = [...events, ...events]
    await engine.applyFeedBatch({ ...batch, events })
  }

  /** The user's key now: the server id once its create was accepted (re-keyed). */
  const currentKey = async (user: ModelUser): Promise<string> => {
    const rekeyed = (await getEntryHistory(user.createEntryId, db)).find((h) => h.step === 'rekeyed')
    return rekeyed?.detail ?? user.localKey
  }
  const live = () => users.filter((u) => !u.cancelled && !u.offboarded)

  /** Enqueue against the user's current key; a re-key between lookup and write just means look again. */
  const withKey = async (user: ModelUser, action: (key: string) => Promise<void>) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await action(await currentKey(user))
      } catch (error) {
        if (!(error instanceof OutboxError) || attempt >= 5) throw error
      }
    }
  }

  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'create': {
          created += 1
          const n = created
          const { userKey, entryId } = await enqueueCreate(createBody(n, { first_name: `P${world.label}`, last_name: `User${n}` }), db)
          users.push({ n, createEntryId: entryId, localKey: userKey, cancelled: false, offboarded: false, email: undefined })
          break
        }
        case 'change': {
          const candidates = live()
          const user = candidates[op.target % Math.max(candidates.length, 1)]
          if (user === undefined) break
          const email = `u${user.n}-v${op.value}@example.com`
          await withKey(user, async (key) => void (await enqueueDataChange(key, emailChange(email), db)))
          user.email = email
          break
        }
        case 'offboard': {
          const candidates = live()
          const user = candidates[op.target % Math.max(candidates.length, 1)]
          if (user === undefined) break
          await withKey(user, async (key) => {
            const result = await enqueueOffboard(key, db)
            if (result.cancelledLocally) user.cancelled = true
            else user.offboarded = true
          })
          break
        }
        case 'fault':
          await world.injectFault(op.fault)
          break
        case 'offline':
          world.setOnline(false)
          break
        case 'online':
          world.setOnline(true)
          break
        case 'restart':
          // As a crash or a closed tab: answers in flight are lost, the database is reopened.
          engine.crash()
          db.close()
          db = openDatabase(dbName)
          engine = startEngine(db, world.transport, timing)
          break
        case 'progress': {
          // Let the engine work until the outbox changes (or a short while passes): drains interleave with the actions.
          const before = await db.outbox.count()
          await waitUntil(async () => (await db.outbox.count()) !== before, PROGRESS_WAIT_MS).catch(() => undefined)
          break
        }
        case 'events':
          await deliver(op.duplicate, op.reverse)
          break
      }
    }

    // Back to good conditions; everything queued must now reach the server exactly once.
    world.setOnline(true)
    await world.clearFaults()
    engine.kick()
    await waitUntil(
      async () => {
        await deliver(false, false)
        return (await db.outbox.count()) === 0
      },
      SETTLE_TIMEOUT_MS,
      `an empty outbox (left: ${JSON.stringify(await db.outbox.toArray().then((es) => es.map((e) => [e.kind, e.state, e.lastError?.message])))})`,
    )
    await verify(world, db, users, deliver)
  } finally {
    engine.crash()
    db.close()
  }
}

async function verify(
  world: PropertyWorld,
  db: OutpostDb,
  users: readonly ModelUser[],
  deliver: (d: boolean, r: boolean) => Promise<void>,
): Promise<void> {
  const server = (await world.serverUsers()).filter((u) => u.first_name === `P${world.label}`)
  const problems: string[] = []
  for (const user of users) {
    const copies = server.filter((u) => u.last_name === `User${user.n}`)
    if (user.cancelled) {
      if (copies.length !== 0) problems.push(`user ${user.n} was cancelled locally but exists ${copies.length}x`)
      continue
    }
    if (copies.length !== 1) {
      problems.push(`user ${user.n} exists ${copies.length}x (want exactly once)`)
      continue
    }
    const copy = copies[0]!
    if (copy.email !== user.email) problems.push(`user ${user.n}: email ${copy.email} (want ${user.email})`)
    const offboarding = copy.status === 'OFFBOARDING' || copy.status === 'OFFBOARDED'
    if (offboarding !== user.offboarded) problems.push(`user ${user.n}: status ${copy.status} (offboarded: ${user.offboarded})`)
  }
  if ((await db.users.filter((row) => isLocalKey(row.key)).count()) !== 0) problems.push('local rows left after every create succeeded')
  // The cache converges on the server once the last events are in (never moved backwards).
  await waitUntil(
    async () => {
      await deliver(false, false)
      const rows = await db.users.bulkGet(server.map((u) => u.id))
      return rows.every((row, i) => row?.user?.email === server[i]!.email)
    },
    SETTLE_TIMEOUT_MS,
    'the cache to match the server',
  ).catch((error: unknown) => problems.push(String(error)))
  if (problems.length > 0) throw new Error(problems.join('\n'))
}
