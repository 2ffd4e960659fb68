/**
 * Decides, from the user just read from the server, what a queued data change does before it
 * is sent (rules 9-11): done when the server already shows it (a send whose answer was lost,
 * or someone made the same change), parked when the user is no longer ACTIVE, when a field it
 * touches moved away from what the person saw (a conflict, unless they chose to send anyway)
 * or when its confirmation is overdue; otherwise sent. Pure.
 */
import type { User } from '../../../shared/schemas/user'
import { PROOF_FIELDS } from '../../../shared/schemas/data-change'
import type { DataChangeEntry, FieldConflict, OutboxError } from '../db/rows'
import { changeIsReflected, sameValue } from './change-reflected'

export type Preflight =
  | { readonly kind: 'done'; readonly detail: string }
  | { readonly kind: 'park'; readonly error: OutboxError }
  | { readonly kind: 'send' }

export function preflightDataChange(entry: DataChangeEntry, user: User, now: number, confirmDeadlineMs: number): Preflight {
  const { change, base, override } = entry.payload
  if (changeIsReflected(change, user)) {
    return { kind: 'done', detail: entry.firstSentAt === null ? 'the server already shows this change' : 'confirmed by read-back' }
  }
  if (user.status !== 'ACTIVE') {
    return {
      kind: 'park',
      error: {
        kind: 'not_active',
        message: `the user is ${user.status} on the server (changed elsewhere at ${user.updated_at}); this change can no longer be made`,
        userStatus: user.status,
        changedAt: user.updated_at,
        fieldErrors: [],
      },
    }
  }
  const since = entry.awaitingSince ?? (entry.state === 'awaiting' ? entry.acceptedAt : null)
  if (since !== null && since !== undefined && now - since > confirmDeadlineMs) {
    return {
      kind: 'park',
      error: {
        kind: 'not_confirmed',
        message: `the API accepted this change but never confirmed it; the server still shows ${describe(change.body, user)}`,
        changedAt: user.updated_at,
        fieldErrors: [],
      },
    }
  }
  const conflicts = override === true || base === null || base === undefined ? [] : conflictsWith(change.body, base.values, user)
  if (conflicts.length > 0) {
    return {
      kind: 'park',
      error: {
        kind: 'conflict',
        message: `changed elsewhere since this change was queued: ${conflicts.map((c) => c.field).join(', ')}`,
        changedAt: user.updated_at,
        conflicts,
        fieldErrors: [],
      },
    }
  }
  return { kind: 'send' }
}

/** Fields the change touches whose server value moved away from the base (and is not what the change asks for). */
export function conflictsWith(body: Readonly<Record<string, unknown>>, base: Readonly<Record<string, unknown>>, user: User): FieldConflict[] {
  const server = user as Readonly<Record<string, unknown>>
  return Object.entries(body)
    .filter(([field, mine]) => !PROOF_FIELDS.has(field) && mine !== undefined && field in base)
    .filter(([field, mine]) => !same(server[field], base[field]) && !same(server[field], mine))
    .map(([field, mine]) => ({ field, base: base[field], theirs: server[field], mine }))
}

/** A field absent on one side and null on the other (the base is stored as JSON) is the same. */
const same = (a: unknown, b: unknown): boolean => sameValue(a ?? null, b ?? null)

function describe(body: Readonly<Record<string, unknown>>, user: User): string {
  const server = user as Readonly<Record<string, unknown>>
  const fields = Object.keys(body).filter((f) => !PROOF_FIELDS.has(f) && body[f] !== undefined)
  return fields.map((f) => `${f} = ${JSON.stringify(server[f] ?? null)}`).join(', ') || 'no such values'
}
