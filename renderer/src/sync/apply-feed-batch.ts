/**
 * Applies a batch of bridge events in one transaction: each event once (dedupe by id),
 * rows never moved backwards (updated_at), data-change events settling or parking the
 * entry they answer, and the batch's cursor stored with them. The caller confirms the
 * cursor to the bridge only after this commits (at-least-once delivery, idempotent apply).
 * The writes themselves belong to the repositories in renderer/src/db.
 */
import { assertNever } from '../../../shared/assert-never'
import type { FeedBatch } from '../../../shared/ipc/contract'
import { eventUserId, type UserEvent } from '../../../shared/schemas/events'
import { claimUnapplied } from '../db/applied-events'
import type { OutpostDb } from '../db/database'
import { commitAppliedByEvent, commitFailedByEvent, commitParkedByEvent, dataChangeInFlight, recordUnrelatedEvent } from '../db/outbox-steps'
import { writeSyncState } from '../db/sync-state'
import { upsertFromServer } from '../db/users-repository'
import { changeIsReflected } from './change-reflected'

export { APPLIED_EVENT_RETENTION_MS, pruneAppliedEvents } from '../db/applied-events'

export interface BatchReport {
  readonly applied: number
  readonly duplicates: number
}

export async function applyFeedBatch(db: OutpostDb, batch: FeedBatch, now: number): Promise<BatchReport> {
  return db.transaction('rw', [db.users, db.outbox, db.history, db.appliedEvents, db.syncState], async () => {
    // A delivery retried by the API, or replayed by the bridge after a lost confirm, is skipped.
    const fresh = await claimUnapplied(
      db,
      batch.events.map((e) => e.id),
      now,
    )
    let applied = 0
    for (const event of batch.events) {
      if (!fresh.delete(event.id)) continue
      await applyEvent(db, event, now)
      applied += 1
    }
    await writeSyncState(db, 'cursor', batch.cursor)
    return { applied, duplicates: batch.events.length - applied }
  })
}

async function applyEvent(db: OutpostDb, event: UserEvent, now: number): Promise<void> {
  switch (event.type) {
    case 'USER.DATA_CHANGE_FAILED': {
      const entry = await dataChangeInFlight(db, eventUserId(event))
      if (entry !== undefined) await commitFailedByEvent(db, entry, event.type, event.object.reason, now)
      return
    }
    case 'USER.DATA_CHANGED': {
      await upsertFromServer(db, event.object, now)
      const entry = await dataChangeInFlight(db, event.object.id)
      if (entry === undefined) return
      // Only the event that shows our change finishes the entry; a late event of an earlier change does not.
      if (changeIsReflected(entry.payload.change, event.object)) await commitAppliedByEvent(db, entry, event.type, now)
      else await recordUnrelatedEvent(db, entry, `${event.type} (not this change yet)`, now)
      return
    }
    case 'USER.CREATED':
    case 'USER.ACTIVATED':
      await upsertFromServer(db, event.object, now)
      return
    // These make a queued data change impossible: parked at once with the reason (rule 10),
    // unless a newer event already brought the user back (the row did not take this one).
    case 'USER.DEACTIVATED':
    case 'USER.OFFBOARDING_INITIATED':
    case 'USER.OFFBOARDED':
      if (await upsertFromServer(db, event.object, now)) await commitParkedByEvent(db, event.object, event.type, now)
      return
    default:
      return assertNever(event, 'user event')
  }
}
