/**
 * Feed clients authenticate with the bridge's bearer token. The comparison is on SHA-256
 * digests in constant time, so neither timing nor token length leaks through the check.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const TOKEN_BYTES = 32

export function generateClientToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url')
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

export function createBearerCheck(expectedToken: string): (authorization: string | undefined) => boolean {
  const expected = digest(expectedToken)
  return (authorization) => {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected)
  }
}
