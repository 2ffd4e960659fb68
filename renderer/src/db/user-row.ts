/**
 * Builds cached user rows: from a server user (the truth) or from a queued create's body
 * (a local draft). Derived list keys (name, city, search words) are computed here only.
 */
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import type { User, UserStatus } from '../../../shared/schemas/user'
import { searchWords } from './database'
import type { UserRow } from './rows'

export function sortName(first: string, last: string): string {
  return `${last} ${first}`.toLowerCase()
}

export function rowFromServerUser(user: User, seenRun: number, touchedAt: number): UserRow {
  return {
    key: user.id,
    serverId: user.id,
    user,
    draft: null,
    name: sortName(user.first_name, user.last_name),
    status: user.status,
    created_at: user.created_at,
    updated_at: user.updated_at,
    city: user.address.city.toLowerCase(),
    words: searchWords([user.first_name, user.last_name, user.address.city, user.id]),
    seenRun,
    touchedAt,
  }
}

export function rowFromDraft(localKey: string, body: CreateUserBody, now: number): UserRow {
  const at = new Date(now).toISOString()
  return {
    key: localKey,
    serverId: null,
    user: null,
    draft: body,
    name: sortName(body.first_name, body.last_name),
    status: 'CREATING',
    created_at: at,
    updated_at: at,
    city: body.address.city.toLowerCase(),
    words: searchWords([body.first_name, body.last_name, body.address.city]),
    seenRun: 0,
    touchedAt: now,
  }
}

/**
 * How far along its life a status is: offboarding never goes back to active or inactive, and
 * offboarded never goes back at all; ACTIVE and INACTIVE alternate, by time.
 */
const STATUS_STAGE: Readonly<Record<UserStatus, number>> = { ACTIVE: 0, INACTIVE: 0, OFFBOARDING: 1, OFFBOARDED: 2 }

/**
 * Server truth never moves backwards (rule 14): a copy at a later stage of the user's life
 * wins; at the same stage, the newer copy by updated_at (a tie goes to the incoming one).
 * Events may arrive out of order across deliveries.
 */
export function isNewer(incoming: User, existing: UserRow | undefined): boolean {
  if (existing === undefined || existing.user === null) return true
  const stage = STATUS_STAGE[incoming.status] - STATUS_STAGE[existing.user.status]
  if (stage !== 0) return stage > 0
  return Date.parse(incoming.updated_at) >= Date.parse(existing.user.updated_at)
}
