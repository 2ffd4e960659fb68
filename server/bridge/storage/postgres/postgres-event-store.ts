/**
 * EventStore on PostgreSQL for several bridge instances on one database: one feed, one
 * cursor space. Appends take a transaction advisory lock, so sequence numbers commit in
 * order and a reader never skips a seq that commits later. LISTEN/NOTIFY wakes the
 * long-polls of every instance; compaction runs on one instance at a time.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { planCompaction } from '../compaction-plan'
import { decodeCursor, encodeCursor } from '../cursor'
import type { AppendResult, CompactionResult, CursorCheck, EventStore, IncomingEvent, StoreHealth, StoredEvent } from '../event-store'
import { DeviceTokenError, type DeviceTokenInfo, type DeviceTokenStore } from '../../tokens/device-token-store'
import type { DocumentStore } from '../../documents/document-store'
import { migrate } from './migrate'

const NOTIFY_CHANNEL = 'outpost_bridge_events'
const APPEND_LOCK_KEY = 0x6f757470_02
const COMPACTION_LOCK_KEY = 0x6f757470_03
const CURSOR_SIGHTING_WRITE_INTERVAL_MS = 60_000
const CURSOR_SIGHTING_CACHE_LIMIT = 10_000
const POOL_SIZE = 10

export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:port/db` */
  readonly url: string
  readonly now?: () => number
}

export interface PostgresStores {
  readonly events: EventStore
  readonly deviceTokens: DeviceTokenStore
  readonly documents: DocumentStore
}

interface Delivery {
  readonly events: readonly IncomingEvent[]
  readonly receivedAt: number
  readonly resolve: (result: AppendResult) => void
  readonly reject: (error: unknown) => void
}

/** Migration 003: lock, dedupe, insert and notify for a whole group, in one statement. */
const APPEND_GROUP = 'SELECT out_delivery, out_seq, out_event_id FROM bridge_append_group($1, $2, $3, $4, $5, $6, $7)'

const num = (value: string | number | null | undefined): number | undefined =>
  value === null || value === undefined ? undefined : Number(value)

/** Opens both stores on one pool, migrating the schema first. */
export async function openPostgresStores(options: PostgresStoreOptions): Promise<PostgresStores> {
  const now = options.now ?? Date.now
  const pool = new pg.Pool({ connectionString: options.url, max: POOL_SIZE })
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined)
  try {
    await migrate(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  await pool.query("INSERT INTO bridge_meta (key, value) VALUES ('epoch', $1), ('compacted_through', '0') ON CONFLICT DO NOTHING", [
    randomBytes(9).toString('base64url'),
  ])
  const epoch = (await pool.query<{ value: string }>("SELECT value FROM bridge_meta WHERE key = 'epoch'")).rows[0]?.value
  if (epoch === undefined) throw new Error('bridge_meta has no epoch')
  const instanceId = randomBytes(6).toString('hex')

  const watchers = new Set<() => void>()
  const wake = (): void => {
    for (const watcher of [...watchers]) watcher()
  }
  const listener = new pg.Client({ connectionString: options.url })
  listener.on('error', () => undefined)
  await listener.connect()
  // Commits of other instances; our own commits wake our watchers directly (no round trip).
  listener.on('notification', (message) => {
    if (message.channel === NOTIFY_CHANNEL && message.payload !== instanceId) wake()
  })
  await listener.query(`LISTEN ${NOTIFY_CHANNEL}`)

  // What this instance last saw; a cursor past it makes us re-read before calling it "ahead".
  let knownHead = 0
  const queryHead = async (): Promise<number> => {
    const row = (
      await pool.query<{ head: string | null; ct: string | null }>(
        "SELECT (SELECT max(seq) FROM bridge_events) AS head, (SELECT value FROM bridge_meta WHERE key = 'compacted_through') AS ct",
      )
    ).rows[0]
    knownHead = Math.max(knownHead, num(row?.head) ?? 0, num(row?.ct) ?? 0)
    return knownHead
  }
  // A burst of polls with cursors from another instance costs two queries, not one each:
  // those arriving while a read runs share the next one, which starts after they asked.
  let headRead: Promise<number> | undefined
  let nextHeadRead: Promise<number> | undefined
  const readHead = (): Promise<number> => {
    if (headRead === undefined) {
      headRead = queryHead().finally(() => {
        headRead = undefined
      })
      return headRead
    }
    nextHeadRead ??= headRead
      .catch(() => undefined)
      .then(() => {
        nextHeadRead = undefined
        return readHead()
      })
    return nextHeadRead
  }
  await readHead()
  const head = (): string => encodeCursor({ epoch, seq: knownHead })

  let queue: Delivery[] = []
  let flushing: Promise<void> | undefined

  /** One statement, so one round trip and one commit for the whole group; all of it or nothing. */
  const appendGroup = async (batch: readonly Delivery[]): Promise<AppendResult[]> => {
    const rows = batch.flatMap((delivery, index) => delivery.events.map((event) => ({ index, event, receivedAt: delivery.receivedAt })))
    const { rows: added } = await pool.query<{ out_delivery: number; out_seq: string; out_event_id: string }>(APPEND_GROUP, [
      APPEND_LOCK_KEY,
      rows.map((row) => row.index),
      rows.map((row) => row.event.id),
      rows.map((row) => row.event.json),
      rows.map((row) => row.receivedAt),
      NOTIFY_CHANNEL,
      instanceId,
    ])
    const bodies = batch.map((delivery) => new Map(delivery.events.map((event) => [event.id, event.json])))
    const inserted = batch.map((): StoredEvent[] => [])
    for (const row of added) {
      const delivery = batch[row.out_delivery]
      const json = bodies[row.out_delivery]?.get(row.out_event_id)
      if (delivery === undefined || json === undefined) throw new Error('the append answered an event it was not given')
      inserted[row.out_delivery]!.push({ seq: Number(row.out_seq), id: row.out_event_id, receivedAt: delivery.receivedAt, json })
    }
    return batch.map((delivery, index) => ({ inserted: inserted[index]!, duplicates: delivery.events.length - inserted[index]!.length }))
  }

  const settle = (delivery: Delivery, result: AppendResult): void => {
    knownHead = Math.max(knownHead, result.inserted.at(-1)?.seq ?? 0)
    delivery.resolve(result)
  }

  const commitGroup = async (batch: readonly Delivery[]): Promise<void> => {
    let results: AppendResult[] | undefined
    try {
      results = await appendGroup(batch)
    } catch (error) {
      // Nothing of the group was stored. Alone, a delivery's failure is its own; in a
      // group, each is tried alone, so one bad delivery does not sink the others.
      if (batch.length === 1) {
        batch[0]!.reject(error)
        return
      }
    }
    if (results !== undefined) {
      batch.forEach((delivery, index) => settle(delivery, results[index]!))
      if (results.some((result) => result.inserted.length > 0)) wake()
      return
    }
    for (const delivery of batch) await commitGroup([delivery])
  }

  const flush = async (): Promise<void> => {
    // Let deliveries verified in this turn of the event loop join the transaction.
    await new Promise((resolve) => setImmediate(resolve))
    while (queue.length > 0) {
      const batch = queue
      queue = []
      await commitGroup(batch)
    }
    flushing = undefined
  }

  const check = async (cursor: string): Promise<CursorCheck> => {
    const parts = decodeCursor(cursor)
    if (parts === undefined) return { kind: 'invalid', message: 'is not a cursor this bridge issued' }
    if (parts.epoch !== epoch) return { kind: 'gone', reason: 'store_reset', headCursor: head() }
    if (parts.seq > knownHead && parts.seq > (await readHead())) return { kind: 'gone', reason: 'ahead_of_store', headCursor: head() }
    return { kind: 'ok', seq: parts.seq }
  }

  const sightingWrittenAt = new Map<number, number>()
  const sightingWrites = new Set<Promise<unknown>>()
  const noteSighting = (seq: number): void => {
    const at = now()
    const last = sightingWrittenAt.get(seq)
    if (last !== undefined && at - last < CURSOR_SIGHTING_WRITE_INTERVAL_MS) return
    if (sightingWrittenAt.size >= CURSOR_SIGHTING_CACHE_LIMIT) sightingWrittenAt.clear()
    sightingWrittenAt.set(seq, at)
    // Not awaited: the read does not wait for a commit; a failed write is retried next poll.
    const write = pool
      .query(
        'INSERT INTO bridge_cursor_sightings (seq, seen_at) VALUES ($1, $2) ON CONFLICT (seq) DO UPDATE SET seen_at = EXCLUDED.seen_at',
        [seq, at],
      )
      .catch(() => sightingWrittenAt.delete(seq))
      .finally(() => sightingWrites.delete(write))
    sightingWrites.add(write)
  }

  let closing: Promise<void> | undefined
  const events: EventStore = {
    appendBatch(incoming, receivedAt) {
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events: incoming, receivedAt, resolve, reject })
        flushing ??= flush()
      })
    },
    async readAfter(cursor, limit) {
      let after: number | undefined
      if (cursor !== undefined) {
        const checked = await check(cursor)
        if (checked.kind !== 'ok') return checked
        after = checked.seq
        noteSighting(after)
      }
      // One snapshot for the compaction mark and the page, so a concurrent compaction cannot slip between them.
      const { rows } = await pool.query<{
        ct: string
        seq: string | null
        event_id: string | null
        received_at: string | null
        body: string | null
      }>(
        `SELECT m.value AS ct, e.seq, e.event_id, e.received_at, e.body
         FROM bridge_meta m
         LEFT JOIN LATERAL (
           SELECT seq, event_id, received_at, body FROM bridge_events
           WHERE seq > GREATEST($1::bigint, m.value::bigint) ORDER BY seq LIMIT $2
         ) e ON true
         WHERE m.key = 'compacted_through'`,
        [after ?? 0, limit],
      )
      const compactedThrough = Number(rows[0]?.ct ?? '0')
      if (after !== undefined && after < compactedThrough) return { kind: 'gone', reason: 'compacted', headCursor: head() }
      const page: StoredEvent[] = rows
        .filter((row) => row.seq !== null)
        .map((row) => ({ seq: Number(row.seq), id: row.event_id ?? '', receivedAt: Number(row.received_at), json: row.body ?? '' }))
      const last = page.at(-1)
      if (last !== undefined) knownHead = Math.max(knownHead, last.seq)
      const from = after ?? compactedThrough
      const nextCursor = last !== undefined ? encodeCursor({ epoch, seq: last.seq }) : (cursor ?? encodeCursor({ epoch, seq: from }))
      return { kind: 'ok', events: page, nextCursor }
    },
    checkCursor: check,
    async headCursor() {
      await readHead()
      return head()
    },
    async compact(policy, at): Promise<CompactionResult> {
      // A cursor presented before this compaction protects its events even if its write is still under way.
      await Promise.all(sightingWrites)
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const scalar = async (sql: string, params: readonly number[]): Promise<number | undefined> =>
          num((await client.query<{ v: string | null }>(sql, [...params])).rows[0]?.v)
        const before = (await scalar("SELECT value::bigint AS v FROM bridge_meta WHERE key = 'compacted_through'", [])) ?? 0
        const locked = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [COMPACTION_LOCK_KEY]))
          .rows[0]?.locked
        // Another instance is compacting right now: its result is as good as ours.
        if (locked !== true) {
          await client.query('ROLLBACK')
          return { deleted: 0, compactedThrough: before }
        }
        const through = planCompaction({
          expiredByAgeThrough: await scalar('SELECT max(seq) AS v FROM bridge_events WHERE received_at < $1', [at - policy.maxAgeMs]),
          beyondCountThrough: await scalar('SELECT seq AS v FROM bridge_events ORDER BY seq DESC LIMIT 1 OFFSET $1', [policy.maxEvents]),
          oldestRecentCursor: await scalar('SELECT min(seq) AS v FROM bridge_cursor_sightings WHERE seen_at >= $1', [
            at - policy.cursorProtectionMs,
          ]),
          compactedThrough: before,
        })
        await client.query('DELETE FROM bridge_cursor_sightings WHERE seen_at < $1', [at - policy.cursorProtectionMs])
        let deleted = 0
        if (through !== undefined) {
          deleted = (await client.query('DELETE FROM bridge_events WHERE seq <= $1', [through])).rowCount ?? 0
          await client.query("UPDATE bridge_meta SET value = $1 WHERE key = 'compacted_through'", [String(through)])
        }
        const oldestKept = (await scalar('SELECT min(received_at) AS v FROM bridge_events', [])) ?? at
        await client.query('DELETE FROM bridge_seen_event_ids WHERE received_at < $1', [Math.min(oldestKept, at - policy.dedupeWindowMs)])
        await client.query('COMMIT')
        return { deleted, compactedThrough: Math.max(before, through ?? before) }
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    async health(): Promise<StoreHealth> {
      try {
        const row = (
          await pool.query<{ n: string; last: string | null; head: string | null; ct: string }>(
            `SELECT count(*) AS n, max(received_at) AS last, max(seq) AS head,
                    (SELECT value FROM bridge_meta WHERE key = 'compacted_through') AS ct
             FROM bridge_events`,
          )
        ).rows[0]
        const compactedThrough = Number(row?.ct ?? '0')
        return {
          ok: true,
          events: Number(row?.n ?? '0'),
          headSeq: Math.max(num(row?.head) ?? 0, compactedThrough),
          compactedThrough,
          lastReceivedAt: num(row?.last) ?? null,
        }
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) }
      }
    },
    watch(listenerFn) {
      watchers.add(listenerFn)
      return () => watchers.delete(listenerFn)
    },
    close() {
      closing ??= (async () => {
        watchers.clear()
        await flushing
        await Promise.all(sightingWrites)
        await listener.end().catch(() => undefined)
        await pool.end()
      })()
      return closing
    },
  }

  const deviceTokens: DeviceTokenStore = {
    async insert(name, tokenHash, createdAt) {
      try {
        await pool.query('INSERT INTO bridge_device_tokens (name, token_hash, created_at) VALUES ($1, $2, $3)', [
          name,
          tokenHash,
          createdAt,
        ])
      } catch (error) {
        if ((error as { code?: string }).code === '23505')
          throw new DeviceTokenError(`a device named ${name} already has a token; revoke it first`)
        throw error
      }
    },
    async findByHash(tokenHash) {
      return (await pool.query<{ name: string }>('SELECT name FROM bridge_device_tokens WHERE token_hash = $1', [tokenHash])).rows[0]?.name
    },
    async touch(name, seenAt) {
      await pool.query('UPDATE bridge_device_tokens SET last_seen_at = $1 WHERE name = $2', [seenAt, name])
    },
    async list(): Promise<readonly DeviceTokenInfo[]> {
      const { rows } = await pool.query<{ name: string; created_at: string; last_seen_at: string | null }>(
        'SELECT name, created_at, last_seen_at FROM bridge_device_tokens ORDER BY name',
      )
      return rows.map((row) => ({ name: row.name, createdAt: Number(row.created_at), lastSeenAt: num(row.last_seen_at) ?? null }))
    },
    async revoke(name) {
      return ((await pool.query('DELETE FROM bridge_device_tokens WHERE name = $1', [name])).rowCount ?? 0) > 0
    },
    // The pool belongs to the event store, which the bridge closes.
    async close() {},
  }

  const documents: DocumentStore = {
    async put(document) {
      await pool.query(
        'INSERT INTO bridge_documents (capability_hash, content_type, body, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [document.capabilityHash, document.contentType, document.body, document.createdAt, document.expiresAt],
      )
    },
    async get(capabilityHash, at) {
      const row = (
        await pool.query<{ content_type: string; body: Buffer; expires_at: string }>(
          'SELECT content_type, body, expires_at FROM bridge_documents WHERE capability_hash = $1',
          [capabilityHash],
        )
      ).rows[0]
      if (row === undefined) return undefined
      if (Number(row.expires_at) <= at) {
        await pool.query('DELETE FROM bridge_documents WHERE capability_hash = $1', [capabilityHash])
        return undefined
      }
      return { contentType: row.content_type, body: row.body, expiresAt: Number(row.expires_at) }
    },
    async deleteExpired(at) {
      return (await pool.query('DELETE FROM bridge_documents WHERE expires_at <= $1', [at])).rowCount ?? 0
    },
    // The pool belongs to the event store, which the bridge closes.
    async close() {},
  }

  return { events, deviceTokens, documents }
}
