/**
 * The per-run token that keeps other local programs and web pages out of the web host:
 * random per start, given to the page in the URL fragment (never sent to a server, never in
 * logs of proxies), compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'

const TOKEN_BYTES = 32

export function createRunToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url')
}

export function tokenMatches(expected: string, presented: string | undefined | null): boolean {
  if (!presented) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(presented)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function bearerOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '')
  return match?.[1]
}
