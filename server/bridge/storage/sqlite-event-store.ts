/**
 * The embedded EventStore: one SQLite file (better-sqlite3) in WAL mode. Each delivery is
 * atomic (its own savepoint inside a group commit), so a batch is either wholly stored or
 * not at all, and the receiver answers 200 only after the commit. Dedupe, cursors and compaction live here too.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { decodeCursor, encodeCursor } from './cursor'
import { planCompaction } from './compaction-plan'
import { createGroupCommitter, type ItemOutcome } from './group-commit'
import type {
  AppendResult,
  CompactionResult,
  CursorCheck,
  EventStore,
  IncomingEvent,
  RetentionPolicy,
  StoreHealth,
  StoredEvent,
} from './event-store'

/** A client polling with the same cursor is recorded at most this often (saves a write per poll). */
const CURSOR_SIGHTING_WRITE_INTERVAL_MS = 60_000
/** Bounds the in-memory throttle map; clearing it only costs a few extra writes. */
const CURSOR_SIGHTING_CACHE_LIMIT = 10_000
const BUSY_TIMEOUT_MS = 5_000

export interface SqliteEventStoreOptions {
  readonly file: string
  readonly now?: () => number
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  -- AUTOINCREMENT: a seq is never reused, even after the newest rows were compacted away.
  CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  -- Outlives compacted events for a while, so a late redelivery is still recognised.
  CREATE TABLE IF NOT EXISTS seen_event_ids (event_id TEXT PRIMARY KEY, received_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS cursor_sightings (seq INTEGER PRIMARY KEY, seen_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS events_received_at ON events (received_at);
`

interface EventRow {
  seq: number
  event_id: string
  received_at: number
  body: string
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): EventStore {
  const now = options.now ?? Date.now
  mkdirSync(dirname(options.file), { recursive: true })
  const db = new Database(options.file, { timeout: BUSY_TIMEOUT_MS })
  db.pragma('journal_mode = WAL')
  // FULL, not NORMAL: with WAL, NORMAL survives a process crash but may lose the last
  // commits on power loss, and we promise the API that a 200 means the delivery is kept.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.exec(SCHEMA)

  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
  const setMeta = db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  )
  const epoch = db
    .transaction((): string => {
      const existing = getMeta.get('epoch')?.value
      if (existing !== undefined) return existing
      const made = randomBytes(9).toString('base64url')
      setMeta.run('epoch', made)
      setMeta.run('compacted_through', '0')
      return made
    })
    .immediate()

  const markSeen = db.prepare<[string, number]>('INSERT OR IGNORE INTO seen_event_ids (event_id, received_at) VALUES (?, ?)')
  const insertEvent = db.prepare<[string, number, string]>('INSERT INTO events (event_id, received_at, body) VALUES (?, ?, ?)')
  const selectAfter = db.prepare<[number, number], EventRow>(
    'SELECT seq, event_id, received_at, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  )
  const selectHead = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
  const recordSighting = db.prepare<[number, number]>(
    'INSERT INTO cursor_sightings (seq, seen_at) VALUES (?, ?) ON CONFLICT(seq) DO UPDATE SET seen_at = excluded.seen_at',
  )
  const sightingWrittenAt = new Map<number, number>()
  // One process owns the file, so commits are only ever ours: an in-process list suffices.
  const watchers = new Set<() => void>()

  const readHeadSeq = (): number => selectHead.get()?.seq ?? 0
  const readCompactedThrough = (): number => Number(getMeta.get('compacted_through')?.value ?? '0')
  // Kept in memory (one process owns the file) and updated only after a commit, so the
  // feed's cursor checks cost no queries; health() still reads them from the file.
  let headSeq = readHeadSeq()
  let compactedThrough = readCompactedThrough()
  const head = (): string => encodeCursor({ epoch, seq: headSeq })

  const append = db.transaction((events: readonly IncomingEvent[], receivedAt: number): AppendResult => {
    const inserted: StoredEvent[] = []
    for (const event of events) {
      if (markSeen.run(event.id, receivedAt).changes === 0) continue
      const seq = Number(insertEvent.run(event.id, receivedAt, event.json).lastInsertRowid)
      inserted.push({ seq, id: event.id, receivedAt, json: event.json })
    }
    return { inserted, duplicates: events.length - inserted.length }
  })

  const commitGroup = db.transaction((batches: ReadonlyArray<{ events: readonly IncomingEvent[]; receivedAt: number }>) =>
    batches.map((batch): ItemOutcome<AppendResult> => {
      try {
        // Nested: a savepoint, so a failing delivery rolls back alone.
        return { ok: true, value: append(batch.events, batch.receivedAt) }
      } catch (error) {
        return { ok: false, error }
      }
    }),
  )
  const appendGrouped = createGroupCommitter((batches: ReadonlyArray<{ events: readonly IncomingEvent[]; receivedAt: number }>) => {
    const outcomes = commitGroup.immediate(batches)
    let added = false
    for (const outcome of outcomes) {
      if (!outcome.ok || outcome.value.inserted.length === 0) continue
      added = true
      headSeq = Math.max(headSeq, outcome.value.inserted.at(-1)?.seq ?? headSeq)
    }
    if (added) for (const watcher of [...watchers]) watcher()
    return outcomes
  })

  const check = (cursor: string): CursorCheck => {
    const parts = decodeCursor(cursor)
    if (parts === undefined) return { kind: 'invalid', message: 'is not a cursor this bridge issued' }
    if (parts.epoch !== epoch) return { kind: 'gone', reason: 'store_reset', headCursor: head() }
    if (parts.seq > headSeq) return { kind: 'gone', reason: 'ahead_of_store', headCursor: head() }
    if (parts.seq < compactedThrough) return { kind: 'gone', reason: 'compacted', headCursor: head() }
    return { kind: 'ok', seq: parts.seq }
  }

  const noteSighting = (seq: number): void => {
    const at = now()
    const last = sightingWrittenAt.get(seq)
    if (last !== undefined && at - last < CURSOR_SIGHTING_WRITE_INTERVAL_MS) return
    if (sightingWrittenAt.size >= CURSOR_SIGHTING_CACHE_LIMIT) sightingWrittenAt.clear()
    sightingWrittenAt.set(seq, at)
    recordSighting.run(seq, at)
  }

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

  const toStored = (row: EventRow): StoredEvent => ({ seq: row.seq, id: row.event_id, receivedAt: row.received_at, json: row.body })

  return {
    appendBatch(events, receivedAt) {
      return appendGrouped({ events, receivedAt })
    },
    async readAfter(cursor, limit) {
      let after = compactedThrough
      if (cursor !== undefined) {
        const checked = check(cursor)
        if (checked.kind !== 'ok') return checked
        after = checked.seq
        noteSighting(after)
      }
      const events = selectAfter.all(after, limit).map(toStored)
      const last = events.at(-1)
      const nextCursor = last !== undefined ? encodeCursor({ epoch, seq: last.seq }) : (cursor ?? encodeCursor({ epoch, seq: after }))
      return { kind: 'ok', events, nextCursor }
    },
    async checkCursor(cursor) {
      return check(cursor)
    },
    async headCursor() {
      return head()
    },
    async compact(policy, at) {
      const result = compact.immediate(policy, at)
      compactedThrough = result.compactedThrough
      return result
    },
    async health(): Promise<StoreHealth> {
      try {
        const row = db.prepare<[], { n: number; last: number | null }>('SELECT COUNT(*) AS n, MAX(received_at) AS last FROM events').get()
        return {
          ok: true,
          events: row?.n ?? 0,
          headSeq: readHeadSeq(),
          compactedThrough: readCompactedThrough(),
          lastReceivedAt: row?.last ?? null,
        }
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) }
      }
    },
    watch(listener) {
      watchers.add(listener)
      return () => watchers.delete(listener)
    },
    async close() {
      watchers.clear()
      if (db.open) db.close()
    },
  }
}
