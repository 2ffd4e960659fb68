/**
 * The renderer's one IndexedDB database (Dexie): tables, indexes and every schema version,
 * kept forever so a database written by any older app version opens with its outbox intact.
 * Writes go through the repositories and the sync engine; this module only declares.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie'
import { safeParseUnknown } from '../../../shared/parse'
import { OutboxEntryV1Schema } from './rows'
import type { AppliedEvent, HistoryRow, OutboxEntry, ProofFileRow, SyncStateRow, UserRow } from './rows'
import type { IndexSnapshotRow } from './user-index-snapshot'

export type OutpostDb = Dexie & {
  users: EntityTable<UserRow, 'key'>
  outbox: EntityTable<OutboxEntry, 'seq'>
  appliedEvents: EntityTable<AppliedEvent, 'id'>
  syncState: EntityTable<SyncStateRow, 'key'>
  history: EntityTable<HistoryRow, 'id'>
  proofFiles: EntityTable<ProofFileRow, 'entryId'>
  indexSnapshots: EntityTable<IndexSnapshotRow, 'name'>
}

/** Version 1: the first shipped schema (no history, no search words). Never edit it. */
export const SCHEMA_V1 = {
  users: '&key, serverId, name, status, updated_at, created_at, city',
  outbox: '++seq, &id, userKey, state',
  appliedEvents: '&id, appliedAt',
  syncState: '&key',
} as const

/** Version 2: search words, list indexes per status, the entry history, the reconcile mark. */
export const SCHEMA_V2 = {
  users:
    '&key, serverId, name, status, updated_at, created_at, city, *words, seenRun, [status+name], [status+updated_at], [status+created_at], [status+city]',
  outbox: '++seq, &id, userKey, state, [userKey+seq]',
  appliedEvents: '&id, appliedAt',
  syncState: '&key',
  history: '++id, entryId, userKey, at',
} as const

/**
 * Version 3: users keep only the `name` index (the first page while the in-memory index
 * builds, see user-index.ts); search, the other sorts, status and the reconcile's seen-run
 * are served from memory. History drops `at` (nothing queries it). `proofFiles` holds proof
 * documents by outbox entry (owner: proof-files.ts). `indexSnapshots` holds the saved in-memory
 * index (a cache, see user-index-snapshot.ts).
 */
export const SCHEMA_V3 = {
  users: '&key, name',
  outbox: '++seq, &id, userKey, state, [userKey+seq]',
  appliedEvents: '&id, appliedAt',
  syncState: '&key',
  history: '++id, entryId, userKey',
  proofFiles: '&entryId',
  indexSnapshots: '&name',
} as const

/**
 * Opens (creating or upgrading) a database by name: the app's is its API target's (see
 * target-databases.ts); tests pass their own name to stay isolated.
 * Strict durability (the default): an outbox entry or a feed cursor reported written is on
 * disk, so a crash after "saved" cannot lose an action or re-confirm a cursor. 'relaxed' is
 * for benchmarks that measure what durability costs.
 */
export function openDatabase(name: string, durability: 'strict' | 'relaxed' = 'strict'): OutpostDb {
  const db = new Dexie(name, { chromeTransactionDurability: durability }) as OutpostDb
  db.version(1).stores(SCHEMA_V1)
  db.version(2)
    .stores(SCHEMA_V2)
    .upgrade(async (tx) => upgradeToV2(tx))
  // Indexes only: rows and outbox entries are kept as they are.
  db.version(3).stores(SCHEMA_V3)
  return db
}

async function upgradeToV2(tx: Transaction): Promise<void> {
  await tx
    .table('outbox')
    .toCollection()
    .modify((raw: Record<string, unknown>) => {
      // Parsed at the edge; a row that no longer parses is kept as it is (never dropped)
      // and parked so the person sees it.
      const parsed = safeParseUnknown(OutboxEntryV1Schema, raw as unknown)
      if (parsed.ok) Object.assign(raw, parsed.value)
      else raw.state = 'parked'
      raw.firstSentAt ??= null
      raw.acceptedAt ??= null
      raw.attempts ??= 0
      raw.nextAttemptAt ??= 0
      raw.lastError ??= null
    })
  await tx
    .table('users')
    .toCollection()
    .modify((raw: Record<string, unknown>) => {
      raw.words = searchWords([raw.name, raw.city, raw.key, raw.serverId])
      raw.seenRun ??= 0
      raw.touchedAt ??= 0
    })
}

/**
 * Lowercase words of the given texts, deduplicated: what the `words` index holds. A
 * hyphenated word is kept whole and in parts, so "anne-marie", "marie" and a full id all match.
 */
export function searchWords(texts: readonly unknown[]): string[] {
  const words = new Set<string>()
  for (const text of texts) {
    if (typeof text !== 'string') continue
    for (const word of text.toLowerCase().split(/[\s,.;:/()]+/)) {
      if (word.length === 0) continue
      words.add(word)
      if (word.includes('-')) for (const part of word.split('-')) if (part.length > 0) words.add(part)
    }
  }
  return [...words]
}

const primaryOfTwin = new WeakMap<OutpostDb, OutpostDb>()

/**
 * A second connection to `db`'s database whose transactions use relaxed durability: for cache
 * rows the server can always send again (reconcile pages), never for the outbox or the cursor.
 * The caller closes it when done.
 */
export function openRelaxedTwin(db: OutpostDb): OutpostDb {
  const twin = openDatabase(db.name, 'relaxed')
  primaryOfTwin.set(twin, primaryConnection(db))
  return twin
}

/** The connection a relaxed twin was opened from (or `db` itself): what per-database state is kept under. */
export function primaryConnection(db: OutpostDb): OutpostDb {
  return primaryOfTwin.get(db) ?? db
}

let singleton: OutpostDb | null = null

/** Makes `db` the app's database: the one of the API target configured at start. */
export function setAppDatabase(db: OutpostDb): void {
  singleton = db
}

/** The app's database; selected once at start, before the first screen reads it. */
export function getDatabase(): OutpostDb {
  if (singleton === null) throw new Error("no database selected yet: the app opens its API target's database at start")
  return singleton
}
