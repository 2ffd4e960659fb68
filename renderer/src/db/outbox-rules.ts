/**
 * Rules read off a user's outbox entries, each stated once: the pending/failed badge, whether
 * a user ever reached the server, and the pending overlay (what the person sees while their
 * changes travel). Pure: queries, stores, components and repositories all call these.
 */
import { assertNever } from '../../../shared/assert-never'
import { PROOF_FIELDS } from '../../../shared/schemas/data-change'
import type { User } from '../../../shared/schemas/user'
import { isLocalKey, type OutboxEntry, type OutboxKind, type OutboxState, type RowStatus, type UserRow } from './rows'

export interface UserBadge {
  /** Entries not yet finished (queued, sending, awaiting). */
  readonly pending: number
  /** Parked entries: they need the person's decision. */
  readonly failed: number
}

export const NO_BADGE: UserBadge = { pending: 0, failed: 0 }

/** The badge of one user's entries. */
export function badgeOf(entries: readonly Pick<OutboxEntry, 'state'>[]): UserBadge {
  const failed = entries.filter((e) => e.state === 'parked').length
  return { pending: entries.length - failed, failed }
}

/** Badges per user of a mixed list of entries (users without entries are absent). */
export function badgesByUser(entries: readonly Pick<OutboxEntry, 'state' | 'userKey'>[]): Map<string, UserBadge> {
  const byUser = new Map<string, Pick<OutboxEntry, 'state'>[]>()
  for (const entry of entries) byUser.set(entry.userKey, [...(byUser.get(entry.userKey) ?? []), entry])
  return new Map([...byUser].map(([key, list]) => [key, badgeOf(list)]))
}

/**
 * A user that exists only on this device: its create was never sent, or was refused as
 * invalid (nothing was created). Any other failure may have created the user on the server.
 * Offboarding such a user cancels it locally, with no API call.
 */
export function neverReachedServer(userKey: string, entries: readonly OutboxEntry[]): boolean {
  const create = entries.find((e) => e.kind === 'create')
  if (!isLocalKey(userKey) || create === undefined) return false
  const refused = create.state === 'parked' && create.lastError?.kind === 'validation'
  return create.firstSentAt === null || refused
}

/** Which kinds the person can edit once parked (an offboarding has nothing to edit). */
const EDITABLE_KINDS = { create: true, dataChange: true, offboard: false } as const satisfies Record<OutboxKind, boolean>

export function isEditable(entry: Pick<OutboxEntry, 'kind' | 'state'>): boolean {
  return entry.state === 'parked' && EDITABLE_KINDS[entry.kind]
}

/** What the person may start for a user as they see it (status with pending changes laid over). */
export interface OfferedActions {
  /** Data changes only for ACTIVE users: the API answers 409 for any other status. */
  readonly change: boolean
  /** Offboarding for ACTIVE and INACTIVE users, once; a local draft's cancels it here (rule 5). */
  readonly offboard: boolean
}

export function offeredActions(status: RowStatus, entries: readonly Pick<OutboxEntry, 'kind'>[]): OfferedActions {
  return {
    change: status === 'ACTIVE',
    offboard: (status === 'ACTIVE' || status === 'INACTIVE' || status === 'CREATING') && !entries.some((e) => e.kind === 'offboard'),
  }
}

export interface PendingField {
  readonly value: unknown
  readonly entryId: string
  readonly state: OutboxState
}

export type UserView = Omit<Partial<User>, 'status'> & { readonly status: RowStatus }

export interface PendingOverlay {
  /** The last server truth (or the local draft), without pending values. */
  readonly base: Readonly<Record<string, unknown>>
  /** What the person sees: the base with pending changes laid over it. */
  readonly view: UserView
  /** Field name -> the pending value and the entry carrying it (the latest entry wins). */
  readonly pendingFields: Readonly<Record<string, PendingField>>
}

/** The user as the person should see it while its entries (in lane order) travel. */
export function pendingOverlay(row: UserRow, entries: readonly OutboxEntry[]): PendingOverlay {
  const pendingFields: Record<string, PendingField> = {}
  for (const entry of entries) {
    const mark = (field: string, value: unknown) => {
      if (!PROOF_FIELDS.has(field)) pendingFields[field] = { value, entryId: entry.id, state: entry.state }
    }
    switch (entry.kind) {
      case 'create':
        for (const [field, value] of Object.entries(entry.payload.body)) mark(field, value)
        break
      case 'dataChange':
        for (const [field, value] of Object.entries(entry.payload.change.body)) if (value !== undefined) mark(field, value)
        break
      case 'offboard':
        mark('status', 'OFFBOARDING')
        break
      default:
        assertNever(entry, 'outbox entry')
    }
  }
  const base: Record<string, unknown> = { ...(row.user ?? row.draft ?? {}), status: row.status }
  const view: Record<string, unknown> = { ...base }
  // A local draft's status stays CREATING: its pending create is what the row already shows.
  for (const [field, pending] of Object.entries(pendingFields))
    if (field !== 'status' || row.status !== 'CREATING') view[field] = pending.value
  return { base, view: view as UserView, pendingFields }
}
