/**
 * The EventStore contract, run against every backend: SQLite (embedded default) and
 * PostgreSQL (a throwaway cluster; skipped, saying why, only without PostgreSQL binaries).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore, IncomingEvent, ReadOutcome, RetentionPolicy } from '../../../../server/bridge/storage/event-store'
import { openPostgresStores } from '../../../../server/bridge/storage/postgres/postgres-event-store'
import { openSqliteEventStore } from '../../../../server/bridge/storage/sqlite-event-store'
import { postgresUnavailable, startPostgresCluster, type PostgresCluster } from '../../../support/postgres-cluster'

const DAY_MS = 24 * 60 * 60 * 1000
const event = (n: number): IncomingEvent => ({ id: `event-${n}`, json: JSON.stringify({ id: `event-${n}`, n }) })
const policy: RetentionPolicy = { maxAgeMs: 7 * DAY_MS, maxEvents: 1_000, cursorProtectionMs: 3 * DAY_MS, dedupeWindowMs: 14 * DAY_MS }

function expectOk(outcome: ReadOutcome) {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`)
  return outcome
}

interface Backend {
  /** Opens (another handle on) the current test's store. */
  open(now: () => number): Promise<EventStore>
  /** Deletes the current test's store entirely (a new one is made by the next open). */
  wipe(): Promise<void>
}

function contract(backend: () => Backend): void {
  let clock: number
  const stores: EventStore[] = []
  const open = async () => {
    const store = await backend().open(() => clock)
    stores.push(store)
    return store
  }
  const wipe = () => backend().wipe()

  beforeEach(() => {
    clock = Date.UTC(2026, 0, 1)
  })
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close()
  })

  it('appends a batch, dedupes by id (also inside one batch) and reads in arrival order', async () => {
    const store = await open()
    const first = await store.appendBatch([event(2), event(1), event(2)], clock)
    expect(first.inserted.map((e) => e.id)).toEqual(['event-2', 'event-1'])
    expect(first.duplicates).toBe(1)
    const second = await store.appendBatch([event(1), event(3)], clock)
    expect(second.inserted.map((e) => e.id)).toEqual(['event-3'])

    const read = expectOk(await store.readAfter(undefined, 10))
    expect(read.events.map((e) => e.id)).toEqual(['event-2', 'event-1', 'event-3'])
    expect(JSON.parse(read.events[0]!.json)).toEqual({ id: 'event-2', n: 2 })
    const rest = expectOk(await store.readAfter(read.nextCursor, 10))
    expect(rest.events).toEqual([])
    expect(rest.nextCursor).toBe(read.nextCursor)
  })

  it('pages with limit and a cursor', async () => {
    const store = await open()
    await store.appendBatch([1, 2, 3, 4, 5].map(event), clock)
    const page1 = expectOk(await store.readAfter(undefined, 2))
    const page2 = expectOk(await store.readAfter(page1.nextCursor, 2))
    const page3 = expectOk(await store.readAfter(page2.nextCursor, 2))
    expect([page1, page2, page3].map((p) => p.events.map((e) => e.id))).toEqual([
      ['event-1', 'event-2'],
      ['event-3', 'event-4'],
      ['event-5'],
    ])
    expect(await store.headCursor()).toBe(page3.nextCursor)
  })

  it('keeps events, cursors and dedupe across a reopen of the file', async () => {
    const before = await open()
    await before.appendBatch([event(1), event(2)], clock)
    const cursor = expectOk(await before.readAfter(undefined, 1)).nextCursor
    await before.close()

    const after = await open()
    expect(expectOk(await after.readAfter(cursor, 10)).events.map((e) => e.id)).toEqual(['event-2'])
    expect((await after.appendBatch([event(2), event(3)], clock)).inserted.map((e) => e.id)).toEqual(['event-3'])
  })

  it('answers gone to cursors of a wiped store and invalid to garbage', async () => {
    const store = await open()
    await store.appendBatch([event(1)], clock)
    const cursor = await store.headCursor()
    await store.close()
    await wipe()

    const fresh = await open()
    expect(await fresh.readAfter(cursor, 10)).toMatchObject({ kind: 'gone', reason: 'store_reset' })
    expect(await fresh.readAfter('garbage!', 10)).toMatchObject({ kind: 'invalid' })
  })

  it('compacts by count and by age, and answers gone to cursors below what it dropped', async () => {
    const store = await open()
    await store.appendBatch([1, 2, 3].map(event), clock)
    const oldCursor = expectOk(await store.readAfter(undefined, 1)).nextCursor
    clock += 8 * DAY_MS
    await store.appendBatch([4, 5, 6, 7].map(event), clock)

    // Age drops 1-3; count (keep 2) drops 4-5 too. No cursor was seen within the window.
    clock += 4 * DAY_MS
    const result = await store.compact({ ...policy, maxEvents: 2 }, clock)
    expect(result).toEqual({ deleted: 5, compactedThrough: 5 })
    expect(expectOk(await store.readAfter(undefined, 10)).events.map((e) => e.id)).toEqual(['event-6', 'event-7'])
    const gone = await store.readAfter(oldCursor, 10)
    expect(gone).toMatchObject({ kind: 'gone', reason: 'compacted', headCursor: await store.headCursor() })
    expect((await store.health()).ok).toBe(true)
  })

  it('never drops events newer than the oldest cursor seen recently', async () => {
    const store = await open()
    await store.appendBatch([1, 2, 3, 4].map(event), clock)
    const cursorAt2 = expectOk(await store.readAfter(undefined, 2)).nextCursor
    clock += 8 * DAY_MS
    expectOk(await store.readAfter(cursorAt2, 10)) // a client presents it: now protected
    expect(await store.compact(policy, clock)).toEqual({ deleted: 2, compactedThrough: 2 })
    expect(expectOk(await store.readAfter(cursorAt2, 10)).events.map((e) => e.id)).toEqual(['event-3', 'event-4'])

    // Once that sighting is older than the protection window, the rest may go.
    clock += 4 * DAY_MS
    expect(await store.compact(policy, clock)).toEqual({ deleted: 2, compactedThrough: 4 })
  })

  it('keeps dropping late redeliveries of compacted events within the dedupe window, then forgets them', async () => {
    const store = await open()
    await store.appendBatch([event(1)], clock)
    clock += 8 * DAY_MS
    await store.compact(policy, clock)
    expect((await store.appendBatch([event(1)], clock)).inserted).toEqual([])
    clock += 7 * DAY_MS
    await store.compact(policy, clock)
    expect((await store.appendBatch([event(1)], clock)).inserted).toHaveLength(1)
  })

  it('never reuses a sequence number, so a cursor does not skip events after compaction of the newest row', async () => {
    const store = await open()
    await store.appendBatch([event(1), event(2)], clock)
    const head = await store.headCursor()
    await store.compact({ ...policy, maxEvents: 0 }, clock)
    await store.appendBatch([event(3)], clock)
    expect(expectOk(await store.readAfter(head, 10)).events.map((e) => e.id)).toEqual(['event-3'])
  })

  it('tells watchers after commits that added events, not after pure redeliveries', async () => {
    const store = await open()
    let calls = 0
    const unwatch = store.watch(() => {
      calls += 1
    })
    await store.appendBatch([event(1), event(2)], clock)
    await store.appendBatch([event(1)], clock)
    expect(calls).toBe(1)
    unwatch()
    await store.appendBatch([event(3)], clock)
    expect(calls).toBe(1)
  })

  it('keeps the event loop running while a commit is written, so other requests are served meanwhile', async () => {
    const store = await open()
    await store.appendBatch([event(0)], clock) // the writer is up
    const big = Array.from({ length: 3_000 }, (_, i) => event(i + 1))
    let turns = 0
    let committed = false
    const append = store.appendBatch(big, clock).then((result) => {
      committed = true
      return result
    })
    const tick = (): void => {
      turns += 1
      if (!committed) setImmediate(tick)
    }
    setImmediate(tick)
    expect((await append).inserted).toHaveLength(3_000)
    // A commit on the event loop's thread lets at most the turn it runs in pass.
    expect(turns).toBeGreaterThan(10)
  })

  it('keeps concurrent deliveries atomic and deduplicated across one group commit', async () => {
    const store = await open()
    const results = await Promise.all([
      store.appendBatch([event(1), event(2)], clock),
      store.appendBatch([event(2), event(3)], clock),
      store.appendBatch([event(4)], clock),
    ])
    expect(results.map((r) => r.inserted.map((e) => e.id))).toEqual([['event-1', 'event-2'], ['event-3'], ['event-4']])
    expect(expectOk(await store.readAfter(undefined, 10)).events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(await store.headCursor()).toBe(expectOk(await store.readAfter(undefined, 10)).nextCursor)
  })
}

describe('SQLite event store', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-store-'))
    file = join(dir, 'nested', 'events.sqlite')
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  contract(() => ({
    open: async (now) => openSqliteEventStore({ file, now }),
    wipe: async () => rmSync(dir, { recursive: true, force: true }),
  }))
})

if (postgresUnavailable !== undefined) console.warn(`PostgreSQL event store tests skipped: ${postgresUnavailable}`)

describe.skipIf(postgresUnavailable !== undefined)('PostgreSQL event store', () => {
  let cluster: PostgresCluster
  let database = ''
  let count = 0
  beforeAll(async () => {
    cluster = await startPostgresCluster()
  }, 120_000)
  afterAll(async () => {
    await cluster?.stop()
  })
  beforeEach(async () => {
    count += 1
    database = `contract_${count}`
    await cluster.createDatabase(database)
  })
  contract(() => ({
    open: async (now) => (await openPostgresStores({ url: cluster.url(database), now })).events,
    wipe: async () => {
      await cluster.dropDatabase(database)
      await cluster.createDatabase(database)
    },
  }))

  const SIGHTING_WRITE = 'INSERT INTO bridge_cursor_sightings'

  /** Holds an exclusive lock on the cursor sightings (as a slow disk or a long transaction would) until released. */
  async function lockCursorSightings(): Promise<{ blocked(statement: string): Promise<number>; release(): Promise<void> }> {
    const holder = new pg.Client({ connectionString: cluster.url(database) })
    const observer = new pg.Client({ connectionString: cluster.url(database) })
    await holder.connect()
    await observer.connect()
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE bridge_cursor_sightings IN EXCLUSIVE MODE')
    return {
      /** How many sessions wait for the lock in a statement starting with `statement`. */
      blocked: async (statement) =>
        Number(
          (
            await observer.query<{ n: string }>(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND starts_with(query, $1)",
              [statement],
            )
          ).rows[0]?.n,
        ),
      release: async () => {
        await holder.query('COMMIT')
        await holder.end()
        await observer.end()
      },
    }
  }

  /** Polls a condition (a state, with a deadline: not a speed goal). */
  async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 10_000
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  it('answers a feed read without waiting for the write that records its cursor', async () => {
    const store = (await openPostgresStores({ url: cluster.url(database) })).events
    const lock = await lockCursorSightings()
    try {
      await store.appendBatch([1, 2, 3].map(event), Date.now())
      const cursor = expectOk(await store.readAfter(undefined, 1)).nextCursor
      let answered: ReadOutcome | undefined
      void store.readAfter(cursor, 10).then((outcome) => (answered = outcome))
      await until('the cursor sighting write waits for the lock', async () => (await lock.blocked(SIGHTING_WRITE)) > 0)
      await until('the read is answered', () => answered !== undefined)
      expect(expectOk(answered!).events.map((e) => e.id)).toEqual(['event-2', 'event-3'])
    } finally {
      await lock.release()
      await store.close()
    }
  })

  it('lets a cursor protect its events from a compaction that starts while its sighting is still being written', async () => {
    let clock = Date.UTC(2026, 0, 1)
    const store = (await openPostgresStores({ url: cluster.url(database), now: () => clock })).events
    let lock: Awaited<ReturnType<typeof lockCursorSightings>> | undefined
    try {
      await store.appendBatch([1, 2, 3, 4].map(event), clock)
      const cursorAt2 = expectOk(await store.readAfter(undefined, 2)).nextCursor
      clock += 8 * DAY_MS // every event is now past the age limit
      lock = await lockCursorSightings()
      const read = store.readAfter(cursorAt2, 10)
      await until('the cursor sighting write waits for the lock', async () => (await lock!.blocked(SIGHTING_WRITE)) > 0)
      const compaction = store.compact(policy, clock)
      // A compaction that did not wait for the write would, within this bound, have read no
      // sighting and be stuck on its own DELETE of old sightings; one that waits shows nothing.
      const boundAt = Date.now() + 2_000
      await until(
        'the compaction is stuck or held back',
        async () => (await lock!.blocked('DELETE FROM bridge_cursor_sightings')) > 0 || Date.now() > boundAt,
      )
      await lock.release()
      lock = undefined
      expect(await compaction).toEqual({ deleted: 2, compactedThrough: 2 })
      expect(expectOk(await read).events.map((e) => e.id)).toEqual(['event-3', 'event-4'])
      expect(expectOk(await store.readAfter(cursorAt2, 10)).events.map((e) => e.id)).toEqual(['event-3', 'event-4'])
    } finally {
      await lock?.release()
      await store.close()
    }
  })

  it('stores the rest of a group when one delivery in it cannot be stored, and fails only that one', async () => {
    const store = (await openPostgresStores({ url: cluster.url(database) })).events
    try {
      // PostgreSQL text cannot hold a NUL character: this delivery fails inside the database.
      const broken: IncomingEvent = { id: 'event-broken', json: `{"id":"event-broken","n":"${String.fromCharCode(0)}"}` }
      const outcomes = await Promise.allSettled([
        store.appendBatch([event(1), event(2)], 0),
        store.appendBatch([event(3), broken], 0),
        store.appendBatch([event(2), event(4)], 0),
      ])
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.inserted.map((e) => e.id) : []))).toEqual([
        ['event-1', 'event-2'],
        [],
        ['event-4'],
      ])
      // All or nothing: event-3 went with its broken neighbour, and can be delivered again.
      expect(expectOk(await store.readAfter(undefined, 10)).events.map((e) => e.id)).toEqual(['event-1', 'event-2', 'event-4'])
      expect((await store.appendBatch([event(3)], 0)).inserted.map((e) => e.id)).toEqual(['event-3'])
    } finally {
      await store.close()
    }
  })
})
