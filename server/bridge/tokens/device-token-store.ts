/**
 * Per-device feed tokens: issued once (the plain token is shown to the operator and never
 * stored), kept as SHA-256 hashes, listed by name, revoked by name. The store lives in the
 * event store's database, so a revocation reaches every bridge instance at once.
 */
import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'

const TOKEN_BYTES = 32
/** A prefix makes a leaked token recognisable (and greppable) as this bridge's. */
export const DEVICE_TOKEN_PREFIX = 'opd_'

export const DeviceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit')

export interface DeviceTokenInfo {
  readonly name: string
  readonly createdAt: number
  readonly lastSeenAt: number | null
}

export interface DeviceTokenStore {
  /** Stores the hash of a new token for `name`; throws `DeviceTokenError` when the name is taken. */
  insert(name: string, tokenHash: string, createdAt: number): Promise<void>
  /** The device whose token has this hash, if it is not revoked. */
  findByHash(tokenHash: string): Promise<string | undefined>
  touch(name: string, seenAt: number): Promise<void>
  list(): Promise<readonly DeviceTokenInfo[]>
  /** false when no device has that name. */
  revoke(name: string): Promise<boolean>
  close(): Promise<void>
}

export class DeviceTokenError extends Error {
  override readonly name = 'DeviceTokenError'
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Makes a token for `name`, stores only its hash, and returns the token (shown once). */
export async function issueDeviceToken(store: DeviceTokenStore, name: string, now = Date.now()): Promise<string> {
  const parsed = DeviceNameSchema.safeParse(name)
  if (!parsed.success) throw new DeviceTokenError(`--name ${parsed.error.issues[0]?.message ?? 'is invalid'}`)
  const token = `${DEVICE_TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`
  await store.insert(parsed.data, hashToken(token), now)
  return token
}
