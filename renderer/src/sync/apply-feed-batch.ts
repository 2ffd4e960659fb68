/**
 * Applies a batch of bridge events in one transaction: each event once (dedupe by id),
 * rows never moved backwards (updated_at), data-change events settling or parking the
 * entry they answer, and the batch's cursor stored with them. The caller confirms the
 * cursor to the bridge only after this commits (at-least-once delivery, idempotent apply).
 */
import { assertNever } from '../../../shared/assert-never'
import type { FeedBatch } from '../../../shared/ipc/contract'
import { eventUserId, type UserEvent } from '../../../shared/schemas/events'
import type { OutpostDb } from '../db/database'
import { closingRow, recordStep, stepRow } from '../db/history'
import type { DataChangeEntry, OutboxEntry } from '../db/rows'
import { writeSyncState } from '../db/sync-state'
import { changeIsReflected } from './change-reflected'
import { upsertServerUser } from './outbox-commits'

/**
 * How long applied event ids are remembered for dedupe. Redeliveries come within hours (API
 * retries, a lost confirm); a full reconcile repairs anything older anyway.
 */
export const APPLIED_EVENT_RETENTION_MS = 30 * 24 * 60 * 60_000

/** Forgets event ids older than the retention; returns how many. */
export async function pruneAppliedEvents(db: OutpostDb, now: number): Promise<number> {
  return db.appliedEvents
    .where('appliedAt')
    .below(now - APPLIED_EVENT_RETENTION_MS)
    .delete()
}

export interface BatchReport {
  readonly applied: number
  readonly duplicates: number
}

export async function applyFeedBatch(db: OutpostDb, batch: FeedBatch, now: number): Promise<BatchReport> {
  return db.transaction('rw', [db.users, db.outbox, db.history, db.appliedEvents, db.syncState], async () => {
    let applied = 0
    const ids = batch.events.map((e) => e.id)
    const seen = new Set((await db.appliedEvents.bulkGet(ids)).filter((e) => e !== undefined).map((e) => e.id))
    for (const event of batch.events) {
      // A delivery retried by the API, or replayed by the bridge after a lost confirm.
      if (seen.has(event.id)) continue
      seen.add(event.id)
      await db.appliedEvents.add({ id: event.id, appliedAt: now })
      await applyEvent(db, event, now)
      applied += 1
    }
    await writeSyncState(db, 'cursor', batch.cursor)
    return { applied, duplicates: batch.events.length - applied }
  })
}

/** The user's data change that an event can answer: the head of its lane, sent or accepted. */
async function pendingDataChange(db: OutpostDb, userId: string): Promise<DataChangeEntry | undefined> {
  const head: OutboxEntry | undefined = (await db.outbox.where('userKey').equals(userId).sortBy('seq'))[0]
  return head?.kind === 'dataChange' && (head.state === 'awaiting' || head.state === 'sending') ? head : undefined
}

async function applyEvent(db: OutpostDb, event: UserEvent, now: number): Promise<void> {
  switch (event.type) {
    case 'USER.DATA_CHANGE_FAILED': {
      const entry = await pendingDataChange(db, eventUserId(event))
      if (entry === undefined) return
      const reason = event.object.reason
      await db.outbox.put({
        ...entry,
        state: 'parked',
        lastError: { kind: 'data_change_failed', message: reason, fieldErrors: [] },
        updatedAt: now,
      })
      // The event may come before the request's answer: the open attempt's "sent" step goes first.
      await db.history.bulkAdd([closingRow(entry, 'event', now, event.type), stepRow(entry, 'failed', now, reason)])
      return
    }
    case 'USER.DATA_CHANGED': {
      await upsertServerUser(db, event.object, now)
      const entry = await pendingDataChange(db, event.object.id)
      if (entry === undefined) return
      // Only the event that shows our change finishes the entry; a late event of an earlier change does not.
      if (!changeIsReflected(entry.payload.change, event.object)) {
        await recordStep(db, entry, 'event', now, `${event.type} (not this change yet)`)
        return
      }
      await db.outbox.delete(entry.seq!)
      await db.history.bulkAdd([closingRow(entry, 'event', now, event.type), stepRow(entry, 'applied', now, 'confirmed by the API')])
      return
    }
    case 'USER.CREATED':
    case 'USER.ACTIVATED':
    case 'USER.DEACTIVATED':
    case 'USER.OFFBOARDING_INITIATED':
    case 'USER.OFFBOARDED':
      await upsertServerUser(db, event.object, now)
      return
    default:
      return assertNever(event, 'user event')
  }
}
