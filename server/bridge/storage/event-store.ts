/**
 * The bridge's storage contract. The receiver appends verified batches, the feed reads
 * after a cursor, a timer compacts. SQLite implements it today; a PostgreSQL backend for
 * several bridge instances implements the same interface later, so nothing else changes.
 */

/** An event as it arrived, already verified and validated: its id and its exact JSON. */
export interface IncomingEvent {
  readonly id: string
  readonly json: string
}

export interface StoredEvent {
  /** Arrival order; never reused, also not after compaction. */
  readonly seq: number
  readonly id: string
  readonly receivedAt: number
  readonly json: string
}

export interface AppendResult {
  /** The events that were new, in arrival order; redelivered ids are left out. */
  readonly inserted: readonly StoredEvent[]
  readonly duplicates: number
}

/** Why a cursor cannot be served: the client must reconcile and restart from the head. */
export type CursorGoneReason = 'compacted' | 'store_reset' | 'ahead_of_store'

export type CursorCheck =
  | { readonly kind: 'ok'; readonly seq: number }
  | { readonly kind: 'gone'; readonly reason: CursorGoneReason; readonly headCursor: string }
  | { readonly kind: 'invalid'; readonly message: string }

export type ReadOutcome =
  | { readonly kind: 'ok'; readonly events: readonly StoredEvent[]; readonly nextCursor: string }
  | { readonly kind: 'gone'; readonly reason: CursorGoneReason; readonly headCursor: string }
  | { readonly kind: 'invalid'; readonly message: string }

export interface RetentionPolicy {
  /** Events older than this may go... */
  readonly maxAgeMs: number
  /** ...and so may all but the newest `maxEvents`... */
  readonly maxEvents: number
  /** ...but never one newer than the oldest cursor a client presented within this window. */
  readonly cursorProtectionMs: number
  /** Event ids are remembered this long after their event was compacted, to drop late redeliveries. */
  readonly dedupeWindowMs: number
}

export interface CompactionResult {
  readonly deleted: number
  /** Highest sequence number compacted away so far; cursors below it are gone. */
  readonly compactedThrough: number
}

export type StoreHealth =
  | {
      readonly ok: true
      readonly events: number
      readonly headSeq: number
      readonly compactedThrough: number
      /** When the newest stored event arrived (survives restarts, unlike the process's own counters). */
      readonly lastReceivedAt: number | null
    }
  | { readonly ok: false; readonly error: string }

export interface EventStore {
  /** Stores a whole batch in one transaction, deduplicated by event id; resolves once durable. */
  appendBatch(events: readonly IncomingEvent[], receivedAt: number): Promise<AppendResult>
  /** Events after `cursor` (from the oldest kept when absent), oldest first, at most `limit`. */
  readAfter(cursor: string | undefined, limit: number): Promise<ReadOutcome>
  checkCursor(cursor: string): Promise<CursorCheck>
  headCursor(): Promise<string>
  compact(policy: RetentionPolicy, now: number): Promise<CompactionResult>
  health(): Promise<StoreHealth>
  /**
   * Calls `listener` after new events are committed, by this process or (for a shared
   * backend such as PostgreSQL with LISTEN/NOTIFY) another instance. Returns unsubscribe.
   */
  watch(listener: () => void): () => void
  close(): Promise<void>
}
