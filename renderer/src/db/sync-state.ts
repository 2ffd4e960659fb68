/**
 * Typed access to the syncState table: the bridge cursor, reconcile bookkeeping, the
 * client-wide pause (Retry-After) and the engine's observable status. Values are parsed on
 * read because they are stored as `unknown` and may come from an older version.
 */
import { z } from 'zod'
import { safeParseUnknown } from '../../../shared/parse'
import type { OutpostDb } from './database'

/** `credentials`: the API refused the credentials, nothing is sent until the person acts; `unreachable`: main or the web host did not answer. */
export const SYNC_PHASES = ['offline', 'credentials', 'unreachable', 'pushing', 'pulling', 'reconciling', 'idle'] as const
export const SyncPhaseSchema = z.enum(SYNC_PHASES)
export type SyncPhase = z.infer<typeof SyncPhaseSchema>

export const ReconcileProgressSchema = z.object({
  run: z.number().int(),
  startedAt: z.number(),
  fetched: z.number().int(),
  /** The server's total_count when known. */
  total: z.number().int().nullable(),
  done: z.boolean(),
})
export type ReconcileProgress = z.infer<typeof ReconcileProgressSchema>

export const EngineStatusSchema = z.object({
  phase: SyncPhaseSchema,
  online: z.boolean(),
  /** Local ms until which the whole client waits (the server's Retry-After). */
  pausedUntil: z.number(),
  lastError: z.string().nullable(),
})
export type EngineStatus = z.infer<typeof EngineStatusSchema>

/**
 * Where the last reconcile left off: the newest `updated_at` the server had when it began
 * (a later reconcile reads the users changed since, newest first, down to it) and when it ran.
 */
export const ReconcileMarkSchema = z.object({
  updatedAt: z.string(),
  at: z.number(),
})
export type ReconcileMark = z.infer<typeof ReconcileMarkSchema>

const stateSchemas = {
  cursor: z.string().nullable(),
  lastFullReconcile: z.number().nullable(),
  lastSuccess: z.number().nullable(),
  reconcile: ReconcileProgressSchema.nullable(),
  reconcileMark: ReconcileMarkSchema.nullable(),
  status: EngineStatusSchema.nullable(),
} as const
export type SyncStateKey = keyof typeof stateSchemas
export type SyncStateValue<K extends SyncStateKey> = z.infer<(typeof stateSchemas)[K]>

/** Reads one value; a missing or unreadable value reads as null (never throws in a liveQuery). */
export async function readSyncState<K extends SyncStateKey>(db: OutpostDb, key: K): Promise<SyncStateValue<K>> {
  const row = await db.syncState.get(key)
  if (row === undefined) return null as SyncStateValue<K>
  const parsed = safeParseUnknown(stateSchemas[key], row.value)
  return (parsed.ok ? parsed.value : null) as SyncStateValue<K>
}

/** Writes one value; call inside the caller's transaction when it must commit with other writes. */
export async function writeSyncState<K extends SyncStateKey>(db: OutpostDb, key: K, value: SyncStateValue<K>): Promise<void> {
  await db.syncState.put({ key, value })
}

/** Everything the status bar shows, in one read. */
export interface SyncOverview {
  readonly status: EngineStatus
  readonly cursor: string | null
  readonly lastSuccess: number | null
  readonly lastFullReconcile: number | null
  readonly reconcile: ReconcileProgress | null
}

export const INITIAL_STATUS: EngineStatus = { phase: 'idle', online: true, pausedUntil: 0, lastError: null }

export async function readSyncOverview(db: OutpostDb): Promise<SyncOverview> {
  const [status, cursor, lastSuccess, lastFullReconcile, reconcile] = await Promise.all([
    readSyncState(db, 'status'),
    readSyncState(db, 'cursor'),
    readSyncState(db, 'lastSuccess'),
    readSyncState(db, 'lastFullReconcile'),
    readSyncState(db, 'reconcile'),
  ])
  return { status: status ?? INITIAL_STATUS, cursor, lastSuccess, lastFullReconcile, reconcile }
}
