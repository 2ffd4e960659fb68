/**
 * Turns an API answer for an outbox entry into what the engine does next. Pure, and the one
 * place that knows which errors are worth retrying, which park the entry for the person,
 * and which count as done (a 409 on DELETE of a user already offboarding).
 */
import type { ApiError, ApiResult } from '../../../shared/api-result'
import { assertNever } from '../../../shared/assert-never'
import type { User } from '../../../shared/schemas/user'
import type { OutboxKind } from '../db/rows'

export type EntryOutcome =
  /** The create answered with the user: re-key and finish. */
  | { readonly kind: 'created'; readonly user: User }
  /** A data change accepted (202), or already pending on the server: wait for its event. */
  | { readonly kind: 'accepted'; readonly detail: string }
  /** Finished (an offboarding accepted, or already under way). */
  | { readonly kind: 'done'; readonly detail: string }
  /** Try again later; `retryAfterMs` is the server's floor, and pauses the whole client. */
  | { readonly kind: 'retry'; readonly error: ApiError; readonly retryAfterMs?: number }
  /** Needs the person: edit and resend, retry, or discard. */
  | { readonly kind: 'park'; readonly error: ApiError }
  /** The API refused the credentials (after main's one token refresh), or none are set: the whole client waits. */
  | { readonly kind: 'credentials'; readonly error: ApiError }

export function classifyResult(kind: OutboxKind, result: ApiResult<User | null>): EntryOutcome {
  if (result.ok) {
    switch (kind) {
      case 'create':
        if (result.value === null)
          return { kind: 'retry', error: { kind: 'invalid_response', message: 'the create answered without a user' } }
        return { kind: 'created', user: result.value }
      case 'dataChange':
        return { kind: 'accepted', detail: 'accepted by the API' }
      case 'offboard':
        return { kind: 'done', detail: 'offboarding accepted by the API' }
      default:
        return assertNever(kind, 'outbox kind')
    }
  }
  const error = result.error
  switch (error.kind) {
    case 'transient':
      return error.retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs: error.retryAfterMs }
    // Credentials or configuration are the client's problem, not this entry's: keep it; the client pauses.
    case 'auth':
    case 'not_configured':
      return { kind: 'credentials', error }
    case 'conflict':
      return classifyConflict(kind, error)
    case 'validation':
    case 'not_found':
    case 'invalid_response':
      return { kind: 'park', error }
    default:
      return assertNever(error, 'API error')
  }
}

function classifyConflict(kind: OutboxKind, error: ApiError): EntryOutcome {
  switch (kind) {
    // The same idempotency key is still being processed by an earlier request: ask again later.
    case 'create':
      return { kind: 'retry', error }
    // One data change per user at a time: ours (sent before a restart) is still pending there.
    case 'dataChange':
      return { kind: 'accepted', detail: 'a data change is already pending on the server' }
    // The user is already offboarding or offboarded: a retried DELETE has nothing left to do.
    case 'offboard':
      return { kind: 'done', detail: 'the user is already offboarding' }
    default:
      return assertNever(kind, 'outbox kind')
  }
}

/**
 * A failed read of the user before a data change's send: a user the server no longer has
 * parks the change; anything else the read says is no verdict on the change: tried again.
 */
export function classifyRead(error: ApiError): EntryOutcome {
  if (error.kind === 'not_found') return { kind: 'park', error: { ...error, message: 'the user no longer exists on the server' } }
  const outcome = classifyResult('dataChange', { ok: false, error })
  return outcome.kind === 'park' || outcome.kind === 'accepted' ? { kind: 'retry', error } : outcome
}

/** The stored form of an error (what the person sees on a parked entry). */
export function toOutboxError(error: ApiError) {
  return {
    kind: error.kind,
    message: error.message,
    ...('status' in error && error.status !== undefined ? { status: error.status } : {}),
    fieldErrors: error.kind === 'validation' ? error.fieldErrors : [],
    ...('problem' in error && error.problem !== undefined ? { problem: error.problem } : {}),
  }
}
