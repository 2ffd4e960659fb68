/**
 * Everything that writes to the SQLite store, on one connection: group commits of
 * deliveries (a savepoint each, so each stays all-or-nothing), cursor sightings and
 * compaction. It runs in the writer thread (`sqlite-writer-thread.ts`), so the fsync of
 * a commit never holds the event loop that serves HTTP.
 */
import type Database from 'better-sqlite3'
import { planCompaction } from './compaction-plan'
import type { ItemOutcome } from './group-commit'
import type { AppendResult, CompactionResult, IncomingEvent, RetentionPolicy, StoredEvent } from './event-store'

export interface DeliveryToStore {
  readonly events: readonly IncomingEvent[]
  readonly receivedAt: number
}

export interface SqliteWrites {
  appendGroup(deliveries: readonly DeliveryToStore[]): Array<ItemOutcome<AppendResult>>
  recordSighting(seq: number, at: number): void
  compact(policy: RetentionPolicy, at: number): CompactionResult
}

export function createSqliteWrites(db: Database.Database): SqliteWrites {
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
  const setMeta = db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  )
  const markSeen = db.prepare<[string, number]>('INSERT OR IGNORE INTO seen_event_ids (event_id, received_at) VALUES (?, ?)')
  const insertEvent = db.prepare<[string, number, string]>('INSERT INTO events (event_id, received_at, body) VALUES (?, ?, ?)')
  const recordSighting = db.prepare<[number, number]>(
    'INSERT INTO cursor_sightings (seq, seen_at) VALUES (?, ?) ON CONFLICT(seq) DO UPDATE SET seen_at = excluded.seen_at',
  )
  const readCompactedThrough = (): number => Number(getMeta.get('compacted_through')?.value ?? '0')

  const append = db.transaction((events: readonly IncomingEvent[], receivedAt: number): AppendResult => {
    const inserted: StoredEvent[] = []
    for (const event of events) {
      if (markSeen.run(event.id, receivedAt).changes === 0) continue
      const seq = Number(insertEvent.run(event.id, receivedAt, event.json).lastInsertRowid)
      inserted.push({ seq, id: event.id, receivedAt, json: event.json })
    }
    return { inserted, duplicates: events.length - inserted.length }
  })

  const appendGroup = db.transaction((deliveries: readonly DeliveryToStore[]) =>
    deliveries.map((delivery): ItemOutcome<AppendResult> => {
      try {
        // Nested: a savepoint, so a failing delivery rolls back alone.
        return { ok: true, value: append(delivery.events, delivery.receivedAt) }
      } catch (error) {
        return { ok: false, error }
      }
    }),
  )

  const compact = db.transaction((policy: RetentionPolicy, at: number): CompactionResult => {
    const scalar = (sql: string, ...params: number[]): number | undefined =>
      db.prepare<number[], { v: number | null }>(sql).get(...params)?.v ?? undefined
    const before = readCompactedThrough()
    const through = planCompaction({
      expiredByAgeThrough: scalar('SELECT MAX(seq) AS v FROM events WHERE received_at < ?', at - policy.maxAgeMs),
      beyondCountThrough: scalar('SELECT seq AS v FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?', policy.maxEvents),
      oldestRecentCursor: scalar('SELECT MIN(seq) AS v FROM cursor_sightings WHERE seen_at >= ?', at - policy.cursorProtectionMs),
      compactedThrough: before,
    })
    db.prepare('DELETE FROM cursor_sightings WHERE seen_at < ?').run(at - policy.cursorProtectionMs)
    let deleted = 0
    if (through !== undefined) {
      deleted = db.prepare('DELETE FROM events WHERE seq <= ?').run(through).changes
      setMeta.run('compacted_through', String(through))
    }
    // Forget ids only once their events are gone and the dedupe window has passed.
    const oldestKept = scalar('SELECT MIN(received_at) AS v FROM events') ?? at
    db.prepare('DELETE FROM seen_event_ids WHERE received_at < ?').run(Math.min(oldestKept, at - policy.dedupeWindowMs))
    return { deleted, compactedThrough: Math.max(before, through ?? before) }
  })

  return {
    appendGroup: (deliveries) => appendGroup.immediate(deliveries),
    recordSighting: (seq, at) => void recordSighting.run(seq, at),
    compact: (policy, at) => compact.immediate(policy, at),
  }
}
