/**
 * Body digests: `content-digest: sha-512=:<b64>:` (RFC 9530, draft-15 requests) and
 * `digest: SHA-256=<b64>` (the older webhook format). Comparison is on the raw body bytes.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

export type BodyInput = string | Uint8Array | undefined

export function bodyBytes(body: BodyInput): Buffer {
  if (body === undefined) return Buffer.alloc(0)
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}

export function contentDigestSha512(body: BodyInput): string {
  return `sha-512=:${createHash('sha512').update(bodyBytes(body)).digest('base64')}:`
}

export function digestSha256(body: BodyInput): string {
  return `SHA-256=${createHash('sha256').update(bodyBytes(body)).digest('base64')}`
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** True when one `sha-512=:...:` member of the header matches the body (other algorithms are ignored). */
export function contentDigestMatches(header: string, body: BodyInput): boolean {
  const expected = contentDigestSha512(body)
  return header
    .split(',')
    .map((member) => member.trim())
    .some((member) => member.toLowerCase().startsWith('sha-512=') && sameText(`sha-512=${member.slice('sha-512='.length)}`, expected))
}

/** True when the `SHA-256=...` member of a `digest` header matches the body. */
export function digestMatches(header: string, body: BodyInput): boolean {
  const expected = digestSha256(body)
  return header
    .split(',')
    .map((member) => member.trim())
    .some((member) => member.toUpperCase().startsWith('SHA-256=') && sameText(`SHA-256=${member.slice('SHA-256='.length)}`, expected))
}
