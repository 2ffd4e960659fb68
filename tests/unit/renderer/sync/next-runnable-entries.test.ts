import { describe, expect, it } from 'vitest'
import type { OutboxEntry } from '../../../../renderer/src/db/rows'
import { nextRunnableEntries } from '../../../../renderer/src/sync/next-runnable-entries'
import { outboxEntry } from '../../../support/sync/fixtures'

const entry = (userKey: string, over: Partial<OutboxEntry> = {}): OutboxEntry => outboxEntry(userKey, over)

const opts = { now: 1_000, busyLanes: new Set<string>(), capacity: 8, awaitTimeoutMs: 500 }
const ids = (entries: readonly OutboxEntry[]) => entries.map((e) => e.id)

describe('nextRunnableEntries', () => {
  it('runs only the head of each lane, in queue order', () => {
    const a1 = entry('a')
    const b1 = entry('b')
    const a2 = entry('a')
    expect(ids(nextRunnableEntries([a2, b1, a1], opts).runnable)).toEqual([a1.id, b1.id])
  })

  it('a parked head blocks its own lane only', () => {
    const a1 = entry('a', { state: 'parked' })
    const a2 = entry('a')
    const b1 = entry('b')
    expect(ids(nextRunnableEntries([a1, a2, b1], opts).runnable)).toEqual([b1.id])
  })

  it('skips busy lanes and respects capacity', () => {
    const list = ['a', 'b', 'c', 'd'].map((k) => entry(k))
    const sel = nextRunnableEntries(list, { ...opts, busyLanes: new Set(['a']), capacity: 2 })
    expect(ids(sel.runnable)).toEqual([list[1]!.id, list[2]!.id])
  })

  it('waits for backoff and reports when to wake', () => {
    const a = entry('a', { nextAttemptAt: 1_500 })
    const b = entry('b', { nextAttemptAt: 1_200 })
    const sel = nextRunnableEntries([a, b], opts)
    expect(sel.runnable).toEqual([])
    expect(sel.wakeAt).toBe(1_200)
  })

  it('an accepted data change waits for its event until the read-back timeout', () => {
    const waiting = entry('a', { kind: 'dataChange', state: 'awaiting', acceptedAt: 900 } as Partial<OutboxEntry>)
    expect(nextRunnableEntries([waiting], opts)).toEqual({ runnable: [], wakeAt: 1_400 })
    expect(ids(nextRunnableEntries([waiting], { ...opts, now: 1_400 }).runnable)).toEqual([waiting.id])
  })

  it('an entry left sending by a crash is sent again', () => {
    const stale = entry('a', { state: 'sending' })
    expect(ids(nextRunnableEntries([stale], opts).runnable)).toEqual([stale.id])
  })

  it('a local user takes nothing but its create', () => {
    const orphan = entry('local-x', { kind: 'offboard' })
    expect(nextRunnableEntries([orphan], opts).runnable).toEqual([])
  })
})
