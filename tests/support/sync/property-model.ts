/**
 * The randomized model test of the sync engine: random sequences of user actions, API
 * faults, connectivity changes, event deliveries (duplicated, reordered, late) and restarts
 * (the engine dropped mid-drain, a data change in flight, the database reopened) against a
 * "world" (the in-process fake or the real simulator), with a second writer: a back office
 * that changes, offboards, deactivates and reactivates users while this client works, data
 * changes the provider refuses, and bursts of refused credentials. Invariants: no lost and
 * no duplicated create; no data change applied more often than queued; no silent overwrite of
 * a value the back office wrote; liveness (once faults stop, every entry is applied or parked
 * with a reason within a bounded time); the request rate never above the client's cap.
 */
import fc from 'fast-check'
import { openDatabase, type OutpostDb } from '../../../renderer/src/db/database'
import { enqueueCreate, enqueueDataChange, enqueueOffboard, OutboxError } from '../../../renderer/src/db/outbox-repository'
import { getEntryHistory } from '../../../renderer/src/db/queries'
import { isLocalKey, type OutboxEntry } from '../../../renderer/src/db/rows'
import type { SyncEngine } from '../../../renderer/src/sync/engine'
import type { SyncTransport } from '../../../renderer/src/sync/transport'
import type { FeedBatch } from '../../../shared/ipc/contract'
import type { UserEvent } from '../../../shared/schemas'
import type { User } from '../../../shared/schemas/user'
import { startEngine } from './engine-harness'
import type { FaultKind } from './fake-users-api'
import { createBody, emailChange, waitUntil } from './fixtures'

export type OfficeAction = 'change' | 'offboard' | 'deactivate' | 'reactivate'

export interface PropertyWorld {
  readonly transport: SyncTransport
  /** A distinct label per sequence, so users of different sequences never collide on a shared server. */
  readonly label: string
  injectFault(fault: FaultKind): Promise<void>
  clearFaults(): Promise<void>
  setOnline(online: boolean): void
  takeFeedBatch(): FeedBatch | null
  serverUsers(): Promise<readonly User[]>
  /** The back office acts on a server user (a change sets `email`). */
  office(action: OfficeAction, userId: string, email: string): Promise<void>
  /** The next data change is refused by the provider when it comes due (USER.DATA_CHANGE_FAILED). */
  failNextDataChange(): Promise<void>
  /** The next data change request is committed but its answer is lost (a crash while it is in flight follows). */
  loseNextDataChangeAnswer(): Promise<void>
  /** Every event the server sent so far (duplicates by id included). */
  allEvents(): readonly UserEvent[]
  /** Tells the world what the person saw when queuing a change (for the overwrite check). */
  expectBase(body: Record<string, unknown>, base: Record<string, unknown>): void
  /** Silent overwrites the world saw (a world that cannot tell answers []). */
  overwrites(): readonly string[]
  /** Local ms of every API call this client made, for the rate check (null: not observable). */
  callTimes(): readonly number[] | null
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
  | { readonly kind: 'events'; readonly duplicate: boolean; readonly reverse: boolean; readonly holdBack: boolean }
  | { readonly kind: 'office'; readonly action: OfficeAction; readonly target: number }
  | { readonly kind: 'failChange' }
  | { readonly kind: 'authBurst'; readonly count: number }
  | { readonly kind: 'retry' }
  | { readonly kind: 'crashInFlight' }

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
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('events' as const), duplicate: fc.boolean(), reverse: fc.boolean(), holdBack: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('office' as const),
      action: fc.constantFrom<OfficeAction>('change', 'change', 'offboard', 'deactivate', 'reactivate'),
      target: fc.nat(20),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'failChange' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('authBurst' as const), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'retry' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crashInFlight' as const }) },
)

export const sequenceArb = fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 18 }), randomSeed: fc.integer() })

interface ModelUser {
  readonly n: number
  readonly createEntryId: string
  localKey: string
  cancelled: boolean
  offboarded: boolean
  /** Every email this client queued for the user (each unique): applied at most once each. */
  readonly queuedEmails: string[]
}

/** The client-wide rate cap the model runs the engine with (low, so a retry storm would show). */
export const MODEL_RATE_PER_SECOND = 50

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
  const timing = {
    random,
    backoff: { baseMs: 2, capMs: 30 },
    awaitTimeoutMs: 100,
    pollIntervalMs: 30,
    confirmDeadlineMs: 2_000,
    ratePerSecond: MODEL_RATE_PER_SECOND,
  }
  let db: OutpostDb = openDatabase(dbName)
  let engine: SyncEngine = startEngine(db, world.transport, timing)
  const users: ModelUser[] = []
  let created = 0
  let changes = 0
  /** Events held back by one delivery, to arrive late with a later one. */
  let late: UserEvent[] = []

  const deliver = async (duplicate: boolean, reverse: boolean, holdBack = false) => {
    const batch = world.takeFeedBatch()
    if (batch === null && late.length === 0) return
    let events = [...(batch?.events ?? []), ...late]
    late = []
    if (holdBack && events.length > 1) late = events.splice(Math.floor(random() * events.length), 1)
    if (reverse) events = events.reverse()
    if (duplicate) events = [...events, ...events]
    await engine.applyFeedBatch({ cursor: batch?.cursor ?? 'late', events })
  }
  const restart = () => {
    // As a crash or a closed tab: answers in flight are lost, the database is reopened.
    engine.crash()
    db.close()
    db = openDatabase(dbName)
    engine = startEngine(db, world.transport, timing)
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
          users.push({ n, createEntryId: entryId, localKey: userKey, cancelled: false, offboarded: false, queuedEmails: [] })
          break
        }
        case 'change': {
          const candidates = live()
          const user = candidates[op.target % Math.max(candidates.length, 1)]
          if (user === undefined) break
          changes += 1
          const email = `u${user.n}-c${changes}-v${op.value}@example.com`
          await withKey(user, async (key) => {
            const before = (await db.users.get(key))?.user?.email ?? null
            const { entryId } = await enqueueDataChange(key, emailChange(email), db)
            const entry = await db.outbox.where('id').equals(entryId).first()
            const base = entry?.kind === 'dataChange' ? entry.payload.base : undefined
            // A user known only here has no recorded base: what the person saw is its local view.
            world.expectBase({ email }, base?.values ?? { email: before })
          }).catch((error: unknown) => {
            // Not offered for a user who is not ACTIVE (the back office acted): nothing queued.
            if (!(error instanceof OutboxError)) throw error
          })
          const queued = (e: OutboxEntry) =>
            e.kind === 'dataChange' && 'email' in e.payload.change.body && e.payload.change.body.email === email
          if ((await db.outbox.filter(queued).count()) > 0) user.queuedEmails.push(email)
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
          }).catch((error: unknown) => {
            // Refused for a user the back office already offboarded: nothing queued.
            if (!(error instanceof OutboxError)) throw error
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
          restart()
          break
        case 'crashInFlight': {
          // A data change reaches the server, its answer is lost, and the app dies meanwhile.
          await world.loseNextDataChangeAnswer()
          const sent = () => db.outbox.filter((e) => e.kind === 'dataChange' && e.firstSentAt !== null).count()
          const before = await sent()
          await waitUntil(async () => (await sent()) > before, PROGRESS_WAIT_MS).catch(() => undefined)
          restart()
          break
        }
        case 'office': {
          const onServer = users.filter((u) => !u.cancelled)
          const user = onServer[op.target % Math.max(onServer.length, 1)]
          if (user === undefined) break
          const key = await currentKey(user)
          if (isLocalKey(key)) break
          changes += 1
          await world.office(op.action, key, `office-${user.n}-c${changes}@example.com`)
          break
        }
        case 'failChange':
          await world.failNextDataChange()
          break
        case 'authBurst':
          for (let i = 0; i < op.count; i++) await world.injectFault('auth')
          break
        case 'retry':
          // The person pressed "sync now" (or saved Settings): refused credentials are tried again.
          engine.retryNow()
          break
        case 'progress': {
          // Let the engine work until the outbox changes (or a short while passes): drains interleave with the actions.
          const before = await db.outbox.count()
          await waitUntil(async () => (await db.outbox.count()) !== before, PROGRESS_WAIT_MS).catch(() => undefined)
          break
        }
        case 'events':
          await deliver(op.duplicate, op.reverse, op.holdBack)
          break
      }
    }

    // Back to good conditions: every entry must now be applied or parked with a reason (liveness);
    // an entry behind a parked one of the same user waits, visibly, for the person's decision on it.
    world.setOnline(true)
    await world.clearFaults()
    engine.retryNow()
    const unsettled = async () => unsettledEntries(await db.outbox.orderBy('seq').toArray())
    await waitUntil(
      async () => {
        await deliver(false, false)
        return (await unsettled()).length === 0
      },
      SETTLE_TIMEOUT_MS,
      'every entry applied or parked with a reason',
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; left: ${JSON.stringify((await unsettled()).map((e) => [e.kind, e.state, e.lastError?.message]))}`)
    })
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
  const parked = await db.outbox.toArray()
  for (const user of users) {
    const copies = server.filter((u) => u.last_name === `User${user.n}`)
    if (user.cancelled) {
      if (copies.length !== 0) problems.push(`user ${user.n} was cancelled locally but exists ${copies.length}x`)
      continue
    }
    // No lost create (unless parked with its reason, to be seen) and never a duplicate.
    const createParked = parked.some((e) => e.id === user.createEntryId)
    if (copies.length > 1 || (copies.length === 0 && !createParked))
      problems.push(`user ${user.n} exists ${copies.length}x (want exactly once)`)
  }
  // No data change applied more often than it was queued (each queued email is unique).
  const applied = new Map<string, Set<string>>()
  for (const event of world.allEvents()) {
    if (event.type !== 'USER.DATA_CHANGED' || event.object.email === undefined) continue
    applied.set(event.object.email, (applied.get(event.object.email) ?? new Set()).add(event.id))
  }
  for (const user of users) {
    for (const email of user.queuedEmails) {
      const times = applied.get(email)?.size ?? 0
      if (times > 1) problems.push(`user ${user.n}: the change to ${email} was applied ${times}x (queued once)`)
    }
  }
  problems.push(...world.overwrites().map((o) => `silent overwrite: ${o}`))
  const times = world.callTimes()
  if (times !== null) {
    const over = rateExcess(times, MODEL_RATE_PER_SECOND)
    if (over !== null) problems.push(over)
  }
  // The cache converges on the server once the last events are in (never moved backwards).
  await waitUntil(
    async () => {
      await deliver(false, false)
      const rows = await db.users.bulkGet(server.map((u) => u.id))
      return rows.every((row, i) => row?.user?.email === server[i]!.email && row?.user?.status === server[i]!.status)
    },
    SETTLE_TIMEOUT_MS,
    'the cache to match the server',
  ).catch((error: unknown) => problems.push(String(error)))
  if (problems.length > 0) throw new Error(problems.join('\n'))
}

/**
 * Replays the calls through a token bucket of the cap (a burst of `rate`, `rate` a second):
 * a call that finds no token (a little slack for timer rounding) means the cap was exceeded.
 */
export function rateExcess(times: readonly number[], rate: number): string | null {
  let tokens = rate
  let at = times[0] ?? 0
  for (const [i, time] of times.entries()) {
    tokens = Math.min(rate, tokens + ((time - at) * rate) / 1000)
    at = time
    tokens -= 1
    if (tokens < -2) return `request ${i + 1} went out over the cap of ${rate}/s`
  }
  return null
}

/** Entries neither parked with a reason nor queued behind such an entry of the same user. */
export function unsettledEntries(entries: readonly OutboxEntry[]): OutboxEntry[] {
  const blocked = new Set<string>()
  const left: OutboxEntry[] = []
  for (const entry of entries) {
    if (entry.state === 'parked' && entry.lastError !== null) blocked.add(entry.userKey)
    else if (!(entry.state === 'queued' && blocked.has(entry.userKey))) left.push(entry)
  }
  return left
}
