/**
 * The one writer of the applied-event log: which bridge events this device has applied, so a
 * redelivered event (an API retry, a replay after a lost confirm) is applied once only.
 */
import type { OutpostDb } from './database'

/**
 * How long applied event ids are remembered for dedupe. Redeliveries come within hours (API
 * retries, a lost confirm); a full reconcile repairs anything older anyway.
 */
export const APPLIED_EVENT_RETENTION_MS = 30 * 24 * 60 * 60_000

/** The ids among `ids` not applied yet, in order, each once; records them as applied (inside the caller's transaction). */
export async function claimUnapplied(db: OutpostDb, ids: readonly string[], now: number): Promise<Set<string>> {
  const seen = new Set((await db.appliedEvents.bulkGet([...ids])).filter((e) => e !== undefined).map((e) => e.id))
  const fresh = new Set<string>()
  for (const id of ids) if (!seen.has(id)) fresh.add(id)
  if (fresh.size > 0) await db.appliedEvents.bulkAdd([...fresh].map((id) => ({ id, appliedAt: now })))
  return fresh
}

/** Forgets event ids older than the retention; returns how many. */
export async function pruneAppliedEvents(db: OutpostDb, now: number): Promise<number> {
  return db.appliedEvents
    .where('appliedAt')
    .below(now - APPLIED_EVENT_RETENTION_MS)
    .delete()
}
