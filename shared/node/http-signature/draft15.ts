/**
 * API request signatures as the provider requires them (RFC 9421 / draft 15 with
 * `upvest-signature-version: 15`): quoted component names in the base, `content-digest`
 * sha-512 for bodies. Signing for the app and tools; verification for the simulator.
 */
import { randomBytes } from 'node:crypto'
import type { BodyInput } from './digest'
import { bodyBytes, contentDigestMatches, contentDigestSha512 } from './digest'
import type { HeaderInput } from './headers'
import { buildSignatureBase, normalizeHeaders, requestTarget, type SignatureBaseInput } from './headers'
import type { KeyInput } from './keys'
import { signBytes } from './keys'
import { serializeInnerList } from './structured-fields'
import type { PendingSignatureCheck, PublicKeyLookup, TimeOptions, VerifyResult } from './verification'
import { checkRequired, checkSignatureBytes, checkSignatureBytesAsync, checkTimes, fail, readSignature } from './verification'

export const SIGNATURE_VERSION = '15'
export const DEFAULT_EXPIRES_IN_SECONDS = 300
const SIGNATURE_LABEL = 'sig1'
const NONCE_BYTES = 16

/** Covered when present, in this order (the provider's list). */
export const COVERED_HEADERS = [
  'accept',
  'authorization',
  'content-length',
  'content-type',
  'content-digest',
  'idempotency-key',
  'upvest-client-id',
] as const

export interface SignRequestInput {
  readonly method: string
  /** Absolute URL or path with query; only path and query are signed. */
  readonly url: string
  /** The headers that will be sent (any case). */
  readonly headers: HeaderInput
  readonly body?: BodyInput
  readonly keyId: string
  readonly privateKey: KeyInput
  /** Unix seconds (default: now). */
  readonly created?: number
  readonly expiresInSeconds?: number
  readonly nonce?: string
}

export interface SignatureHeaders15 {
  readonly signature: string
  readonly 'signature-input': string
  readonly 'upvest-signature-version': string
  /** Present when the request has a body; it must be sent as well, since it is signed. */
  readonly 'content-digest'?: string
}

/** The draft-15 signature base: `"name": value` lines, then `"@signature-params": <raw input>`. */
export function signatureBase15(input: SignatureBaseInput): string | { missing: string } {
  return buildSignatureBase((name) => `"${name}"`, input)
}

export function signRequest(input: SignRequestInput): SignatureHeaders15 {
  const headers = normalizeHeaders(input.headers)
  const hasBody = bodyBytes(input.body).length > 0
  const contentDigest = hasBody ? contentDigestSha512(input.body) : undefined
  if (contentDigest === undefined) headers.delete('content-digest')
  else headers.set('content-digest', contentDigest)

  const components = ['@method', '@path']
  if (requestTarget(input.url).query !== undefined) components.push('@query')
  components.push(...COVERED_HEADERS.filter((name) => headers.has(name)))

  const created = input.created ?? Math.floor(Date.now() / 1000)
  const params: Array<readonly [string, string | number]> = [
    ['keyid', input.keyId],
    ['created', created],
    ['expires', created + (input.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS)],
    ['nonce', input.nonce ?? randomBytes(NONCE_BYTES).toString('base64url')],
  ]
  const rawParams = serializeInnerList(components, params)
  const base = signatureBase15({ components, rawParams, method: input.method, url: input.url, headers })
  if (typeof base !== 'string') throw new Error(`cannot sign: ${base.missing} has no value`)
  const signature = signBytes(input.privateKey, Buffer.from(base, 'utf8')).toString('base64')
  return {
    signature: `${SIGNATURE_LABEL}=:${signature}:`,
    'signature-input': `${SIGNATURE_LABEL}=${rawParams}`,
    'upvest-signature-version': SIGNATURE_VERSION,
    ...(contentDigest === undefined ? {} : { 'content-digest': contentDigest }),
  }
}

export interface VerifyRequestInput extends TimeOptions {
  readonly method: string
  /** The request target as received (path and query), or an absolute URL. */
  readonly url: string
  readonly headers: HeaderInput
  /** The raw body bytes as received, before any JSON parsing. */
  readonly body?: BodyInput
  readonly publicKeyFor: PublicKeyLookup
}

/**
 * What must be covered so that nothing that matters can be swapped: method, path, query,
 * body digest, and the auth, idempotency and client headers whenever they are sent.
 */
function requiredComponents(url: string, headers: Map<string, string>, hasBody: boolean): string[] {
  const required = ['@method', '@path']
  if (requestTarget(url).query !== undefined) required.push('@query')
  if (hasBody) required.push('content-digest')
  for (const name of ['authorization', 'idempotency-key', 'upvest-client-id']) if (headers.has(name)) required.push(name)
  return required
}

/** Everything but the signature bytes; those are checked by the caller, on or off the event loop. */
function prepareVerifyRequest(input: VerifyRequestInput): VerifyResult | PendingSignatureCheck {
  const headers = normalizeHeaders(input.headers)
  const parsed = readSignature(headers)
  if ('ok' in parsed) return parsed
  const hasBody = bodyBytes(input.body).length > 0
  const coverage = checkRequired(parsed, requiredComponents(input.url, headers, hasBody))
  if (coverage !== undefined) return coverage
  const digest = headers.get('content-digest')
  if (digest !== undefined && !contentDigestMatches(digest, input.body))
    return fail('digest_mismatch', 'content-digest does not match the body')
  const times = checkTimes(parsed, input)
  if (times !== undefined) return times
  const base = signatureBase15({
    components: parsed.input.items,
    rawParams: parsed.input.raw,
    method: input.method,
    url: input.url,
    headers,
  })
  if (typeof base !== 'string') return fail('missing_component', `${base.missing} is signed but not present`)
  return { parsed, base }
}

export function verifyRequest(input: VerifyRequestInput): VerifyResult {
  const pending = prepareVerifyRequest(input)
  return 'ok' in pending ? pending : checkSignatureBytes(pending, input.publicKeyFor)
}

/** `verifyRequest` with the signature check on libuv's thread pool, for servers. */
export async function verifyRequestAsync(input: VerifyRequestInput): Promise<VerifyResult> {
  const pending = prepareVerifyRequest(input)
  return 'ok' in pending ? pending : checkSignatureBytesAsync(pending, input.publicKeyFor)
}
