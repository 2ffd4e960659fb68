import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore, IncomingEvent, ReadOutcome, RetentionPolicy } from '../../../../server/bridge/storage/event-store'
import { openSqliteEventStore } from '../../../../server/bridge/storage/sqlite-event-store'

const DAY_MS = 24 * 60 * 60 * 1000
const event = (n: number): IncomingEvent => ({ id: `event-${n}`, json: JSON.stringify({ id: `event-${n}`, n }) })
const policy: RetentionPolicy = { maxAgeMs: 7 * DAY_MS, maxEvents: 1_000, cursorProtectionMs: 3 * DAY_MS, dedupeWindowMs: 14 * DAY_MS }

function expectOk(outcome: ReadOutcome) {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`)
  return outcome
}

describe('SQLite event store', () => {
  let dir: string
  let file: string
  let clock: number
  const stores: EventStore[] = []
  const open = () => {
    const store = openSqliteEventStore({ file, now: () => clock })
    stores.push(store)
    return store
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-store-'))
    file = join(dir, 'nested', 'events.sqlite')
    clock = Date.UTC(2026, 0, 1)
  })
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('appends a batch, dedupes by id (also inside one batch) and reads in arrival order', async () => {
    const store = open()
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
    const store = open()
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
    const before = open()
    await before.appendBatch([event(1), event(2)], clock)
    const cursor = expectOk(await before.readAfter(undefined, 1)).nextCursor
    await before.close()

    const after = open()
    expect(expectOk(await after.readAfter(cursor, 10)).events.map((e) => e.id)).toEqual(['event-2'])
    expect((await after.appendBatch([event(2), event(3)], clock)).inserted.map((e) => e.id)).toEqual(['event-3'])
  })

  it('answers gone to cursors of a wiped store and invalid to garbage', async () => {
    const store = open()
    await store.appendBatch([event(1)], clock)
    const cursor = await store.headCursor()
    await store.close()
    rmSync(dir, { recursive: true, force: true })

    const fresh = open()
    expect(await fresh.readAfter(cursor, 10)).toMatchObject({ kind: 'gone', reason: 'store_reset' })
    expect(await fresh.readAfter('garbage!', 10)).toMatchObject({ kind: 'invalid' })
  })

  it('compacts by count and by age, and answers gone to cursors below what it dropped', async () => {
    const store = open()
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
    const store = open()
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
    const store = open()
    await store.appendBatch([event(1)], clock)
    clock += 8 * DAY_MS
    await store.compact(policy, clock)
    expect((await store.appendBatch([event(1)], clock)).inserted).toEqual([])
    clock += 7 * DAY_MS
    await store.compact(policy, clock)
    expect((await store.appendBatch([event(1)], clock)).inserted).toHaveLength(1)
  })

  it('never reuses a sequence number, so a cursor does not skip events after compaction of the newest row', async () => {
    const store = open()
    await store.appendBatch([event(1), event(2)], clock)
    const head = await store.headCursor()
    await store.compact({ ...policy, maxEvents: 0 }, clock)
    await store.appendBatch([event(3)], clock)
    expect(expectOk(await store.readAfter(head, 10)).events.map((e) => e.id)).toEqual(['event-3'])
  })

  it('tells watchers after commits that added events, not after pure redeliveries', async () => {
    const store = open()
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

  it('keeps concurrent deliveries atomic and deduplicated across one group commit', async () => {
    const store = open()
    const results = await Promise.all([
      store.appendBatch([event(1), event(2)], clock),
      store.appendBatch([event(2), event(3)], clock),
      store.appendBatch([event(4)], clock),
    ])
    expect(results.map((r) => r.inserted.map((e) => e.id))).toEqual([['event-1', 'event-2'], ['event-3'], ['event-4']])
    expect(expectOk(await store.readAfter(undefined, 10)).events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(await store.headCursor()).toBe(expectOk(await store.readAfter(undefined, 10)).nextCursor)
  })
})
