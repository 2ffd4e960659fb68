/**
 * Which users in a feed batch changed because of this device's own actions: the event says
 * what this device queued (its offboarding, its data change), so the person is not told that
 * someone else changed the user. Read-only: reads the outbox and the history, writes nothing.
 */
import { assertNever } from '../../../shared/assert-never'
import type { UserEvent } from '../../../shared/schemas/events'
import type { OutboxKind } from '../../../shared/outbox-kinds'
import type { OutpostDb } from './database'
import { getDatabase } from './database'

/** An own change older than this is history; a later event about it is news from elsewhere. */
export const OWN_CHANGE_WINDOW_MS = 7 * 24 * 60 * 60_000

/** The kind of action of this device an event can be the outcome of; null when none can (activation by the provider). */
export function ownKindOf(event: UserEvent): OutboxKind | null {
  switch (event.type) {
    case 'USER.DATA_CHANGED':
    case 'USER.DATA_CHANGE_FAILED':
      return 'dataChange'
    case 'USER.OFFBOARDING_INITIATED':
    case 'USER.OFFBOARDED':
      return 'offboard'
    case 'USER.CREATED':
    case 'USER.ACTIVATED':
    case 'USER.DEACTIVATED':
      return null
    default:
      return assertNever(event, 'user event')
  }
}

const userIdOf = (event: UserEvent) => (event.type === 'USER.DATA_CHANGE_FAILED' ? event.object.user_id : event.object.id)

/** The ids of users whose event in `events` answers an action this device queued. */
export async function usersChangedHere(events: readonly UserEvent[], now: number, db: OutpostDb = getDatabase()): Promise<Set<string>> {
  const mine = new Set<string>()
  for (const event of events) {
    const kind = ownKindOf(event)
    const userId = userIdOf(event)
    if (kind === null || mine.has(userId)) continue
    // Only what went out can have caused the event: a change still waiting here is news from elsewhere (maybe a conflict).
    const [sent, history] = await Promise.all([
      db.outbox
        .where('userKey')
        .equals(userId)
        .filter((e) => e.kind === kind && (e.state === 'sending' || e.state === 'awaiting' || e.firstSentAt !== null))
        .count(),
      db.history
        .where('userKey')
        .equals(userId)
        .filter((h) => h.kind === kind && h.at > now - OWN_CHANGE_WINDOW_MS && (h.sentAt !== undefined || h.step === 'accepted' || h.step === 'applied'))
        .count(),
    ])
    if (sent > 0 || history > 0) mine.add(userId)
  }
  return mine
}
