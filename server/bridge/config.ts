/**
 * The bridge's options and their defaults, in one place: ports, paths, limits, retention.
 * Durations are named constants; nothing else in the bridge invents a default.
 */
import type { Scope } from '../../shared/schemas'
import type { EventStore, RetentionPolicy } from './storage/event-store'
import type { DeviceTokenStore } from './tokens/device-token-store'

const SECOND_MS = 1000
const HOUR_MS = 60 * 60 * SECOND_MS
const DAY_MS = 24 * HOUR_MS

export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_RECEIVER_PATH = '/webhooks/upvest'
/** Deliveries carry at most a few hundred events; 1 MiB is generous and still bounded. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300
/** Long-polls longer than this are cut; proxies and NATs drop idle connections around a minute. */
export const DEFAULT_MAX_WAIT_SECONDS = 30
export const DEFAULT_COMPACTION_INTERVAL_MS = HOUR_MS
export const DB_FILE_NAME = 'bridge.sqlite'
/** Proof documents: scans and photos of ID cards and bills stay well under this. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
/** How long a document link works (the API downloads it while it handles the change). */
export const DEFAULT_DOCUMENT_TTL_MS = 30 * DAY_MS
/** How often the bridge checks (and repairs) its webhook subscription at the API. */
export const DEFAULT_SUBSCRIPTION_CHECK_INTERVAL_MS = 3 * 60 * SECOND_MS
/** How long a test delivery may take before the subscription counts as silent. */
export const DEFAULT_SUBSCRIPTION_SILENCE_GRACE_MS = 60 * SECOND_MS

export const DEFAULT_RETENTION: RetentionPolicy = {
  maxAgeMs: 14 * DAY_MS,
  maxEvents: 500_000,
  cursorProtectionMs: 7 * DAY_MS,
  dedupeWindowMs: 7 * DAY_MS,
}

/** The bridge's own API client: what it needs to read verify keys and manage its subscription. */
export interface ApiCredentials {
  readonly clientId: string
  readonly clientSecret: string
  readonly keyId: string
  readonly privateKeyPem: string
  readonly scopes?: readonly Scope[]
}

export const BRIDGE_API_SCOPES: readonly Scope[] = ['webhooks:read', 'webhooks:admin']

export interface BridgeOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number
  readonly host?: string
  /** Holds the database (unless `dbFile` is given) and the generated client token. */
  readonly dataDir?: string
  readonly dbFile?: string
  /** `postgres://...`: events, device tokens and documents in PostgreSQL, shared by every instance on it. */
  readonly storeUrl?: string
  /** Another storage backend; default SQLite at `dbFile` (or PostgreSQL with `storeUrl`). The bridge closes it. */
  readonly store?: EventStore
  /** The Users API base URL (simulator or real). */
  readonly apiUrl: string
  readonly apiCredentials: ApiCredentials
  /** Device tokens (`tokens issue`); default: in the SQLite file. Pass the same backend as `store`. */
  readonly deviceTokens?: DeviceTokenStore
  /** This machine's bearer token for the feed (besides device tokens); generated and kept in the data dir when absent. */
  readonly clientToken?: string
  readonly receiverPath?: string
  readonly maxBodyBytes?: number
  readonly replayWindowSeconds?: number
  readonly maxWaitSeconds?: number
  readonly retention?: Partial<RetentionPolicy>
  readonly compactionIntervalMs?: number
  /** Public base URL the API posts to (the receiver path is appended unless already there). */
  readonly publicUrl?: string
  /** Ensure an enabled USER subscription for `publicUrl` (or, without one, this bridge's own URL) at start; default: when publicUrl is set. */
  readonly bootstrap?: boolean
  /** First retry delay after a transient bootstrap failure (doubles up to the check interval; default 5 s). */
  readonly bootstrapRetryMs?: number
  /** Largest proof document accepted (default 10 MiB). */
  readonly maxDocumentBytes?: number
  /** How long a document link works (default 30 days). */
  readonly documentTtlMs?: number
  /** How often the subscription is checked and repaired (default 3 minutes). */
  readonly subscriptionCheckIntervalMs?: number
  /** How long a probe's test delivery may take before `/health` says silent (default 60 s). */
  readonly subscriptionSilenceGraceMs?: number
  /** Fastify log level; 'silent' in tests. Logs are JSON lines without secrets. */
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Receives the JSON log lines instead of stdout. */
  readonly logSink?: { write(line: string): void }
}
