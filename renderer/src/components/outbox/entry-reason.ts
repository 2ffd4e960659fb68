/**
 * The sentence a parked entry shows: the engine's known reasons (not active, not confirmed,
 * conflict, gave up) in the person's language; anything else is shown as written: the
 * server's own text (its answer had a status) said to be the server's, so it is not taken
 * for the app's words (it may be in another language); the app's own (no answer came) as the reason.
 */
import type { OutboxError } from '../../db/rows'

export interface EntryReason {
  readonly key: string
  readonly values: Readonly<Record<string, string>>
}

export function entryReason(error: OutboxError, format: { date(iso: string): string; status(status: string): string }): EntryReason {
  const when = error.changedAt === undefined ? '' : format.date(error.changedAt)
  switch (error.kind) {
    case 'not_active':
      return { key: 'outbox.reasons.notActive', values: { status: format.status(error.userStatus ?? ''), when } }
    case 'not_confirmed':
      return { key: 'outbox.reasons.notConfirmed', values: {} }
    case 'conflict':
      return { key: 'outbox.reasons.conflict', values: { when } }
    case 'gave_up':
      return { key: 'outbox.reasons.gaveUp', values: { reason: error.message.replace(/^gave up after \d+ failed attempts: /, '') } }
    default:
      return error.status !== undefined
        ? { key: 'outbox.reasons.serverSaid', values: { text: error.message } }
        : { key: 'detail.reason', values: { reason: error.message } }
  }
}
