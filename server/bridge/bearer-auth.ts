/**
 * Feed clients authenticate with a bearer token in the Authorization header: this machine's
 * token (compared on SHA-256 digests in constant time) or a device token, looked up by its
 * hash on every request so a revocation takes effect at once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { hashToken, type DeviceTokenStore } from './tokens/device-token-store'

const TOKEN_BYTES = 32

export function generateClientToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url')
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

const bearerOf = (authorization: string | undefined): string | undefined => /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1]

export function createBearerCheck(expectedToken: string): (authorization: string | undefined) => boolean {
  const expected = digest(expectedToken)
  return (authorization) => {
    const token = bearerOf(authorization)
    return token !== undefined && timingSafeEqual(digest(token), expected)
  }
}

/** "Last seen" is written at most this often per device (saves a write per poll). */
const LAST_SEEN_WRITE_INTERVAL_MS = 60_000

export interface FeedAuthorizerOptions {
  readonly localToken: string
  readonly devices: DeviceTokenStore
  readonly now?: () => number
}

export function createFeedAuthorizer(options: FeedAuthorizerOptions): (authorization: string | undefined) => Promise<boolean> {
  const isLocal = createBearerCheck(options.localToken)
  const now = options.now ?? Date.now
  const lastWritten = new Map<string, number>()
  return async (authorization) => {
    if (isLocal(authorization)) return true
    const token = bearerOf(authorization)
    if (token === undefined) return false
    const device = await options.devices.findByHash(hashToken(token))
    if (device === undefined) return false
    const at = now()
    if (at - (lastWritten.get(device) ?? -Infinity) >= LAST_SEEN_WRITE_INTERVAL_MS) {
      lastWritten.set(device, at)
      await options.devices.touch(device, at)
    }
    return true
  }
}
