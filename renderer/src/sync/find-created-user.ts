/**
 * The read-back for a create whose idempotency key may have expired (first sent more than
 * the key lifetime ago): is the user already on the server? Matches name, birth date and
 * residential address among users created since the first send. Pure; the engine pages.
 */
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import type { User } from '../../../shared/schemas/user'

/** The API keeps idempotency keys this long; after it, a resend could create a second user. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60_000
/** Clock skew allowed between this device and the server when comparing created_at. */
export const CLOCK_SKEW_MS = 10 * 60_000

export function isSameUser(body: CreateUserBody, user: User): boolean {
  return (
    user.first_name === body.first_name &&
    user.last_name === body.last_name &&
    user.birth_date === body.birth_date &&
    user.address.postcode === body.address.postcode &&
    user.address.address_line1 === body.address.address_line1
  )
}

export function findCreatedUser(body: CreateUserBody, users: readonly User[], firstSentAt: number): User | undefined {
  return users.find((u) => isSameUser(body, u) && Date.parse(u.created_at) >= firstSentAt - CLOCK_SKEW_MS)
}
