/**
 * The embedded EventStore: one SQLite file (better-sqlite3) in WAL mode. Reads are served on
 * the event loop's own connection; every write goes to the writer thread (`sqlite-writer.ts`),
 * so a commit's fsync never holds up HTTP. Each delivery is atomic (its own savepoint inside
 * a group commit), so a batch is either wholly stored or not at all, and the receiver answers
 * 200 only after the commit. Dedupe, cursors and compaction live here too.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { decodeCursor, encodeCursor } from './cursor'
import { createGroupCommitter } from './group-commit'
import { openSqliteConnection } from './sqlite-connection'
import { startSqliteWriter } from './sqlite-writer'
import type { DeliveryToStore } from './sqlite-writes'
import type { CursorCheck, EventStore, StoreHealth, StoredEvent } from './event-store'

/** A client polling with the same cursor is recorded at most this often (saves a write per poll). */
const CURSOR_SIGHTING_WRITE_INTERVAL_MS = 60_000
/** Bounds the in-memory throttle map; clearing it only costs a few extra writes. */
const CURSOR_SIGHTING_CACHE_LIMIT = 10_000

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
  const db = openSqliteConnection(options.file)
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
  // Started once the schema exists; from here on only the writer writes.
  const writer = startSqliteWriter(options.file)

  const selectAfter = db.prepare<[number, number], EventRow>(
    'SELECT seq, event_id, received_at, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  )
  const selectHead = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
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

  const appendGrouped = createGroupCommitter(async (deliveries: readonly DeliveryToStore[]) => {
    const outcomes = await writer.request({ kind: 'append', deliveries })
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
    // Not awaited: the read does not wait for the write; a failed write is retried next poll.
    writer.request({ kind: 'sighting', seq, at }).catch(() => sightingWrittenAt.delete(seq))
  }

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
      const result = await writer.request({ kind: 'compact', policy, at })
      compactedThrough = result.compactedThrough
      return result
    },
    async health(): Promise<StoreHealth> {
      if (writer.failure !== undefined) return { ok: false, error: writer.failure.message }
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
      await writer.close()
      if (db.open) db.close()
    },
  }
}
