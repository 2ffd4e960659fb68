/**
 * Webhook signatures in the older draft-06 form the provider still uses for deliveries:
 * `digest: SHA-256=<b64>`, base lines `name: value` with unquoted names, ending with
 * `@signature-params: (...)`; ECDSA P-521/SHA-512 (DER). The simulator signs with it,
 * the bridge verifies it.
 */
import { randomBytes } from 'node:crypto'
import type { BodyInput } from './digest'
import { digestMatches, digestSha256 } from './digest'
import type { HeaderInput } from './headers'
import { buildSignatureBase, normalizeHeaders, type SignatureBaseInput } from './headers'
import type { KeyInput } from './keys'
import { signBytes } from './keys'
import { serializeInnerList } from './structured-fields'
import type { PendingSignatureCheck, PublicKeyLookup, TimeOptions, VerifyResult } from './verification'
import { checkRequired, checkSignatureBytes, checkSignatureBytesAsync, checkTimes, fail, readSignature } from './verification'

export const WEBHOOK_EXPIRES_IN_SECONDS = 300
const SIGNATURE_LABEL = 'sig1'
const NONCE_BYTES = 16

/** What a delivery signature covers; `digest` ties it to the body. */
export const WEBHOOK_COVERED = ['@method', '@path', 'content-type', 'digest'] as const

export interface SignWebhookInput {
  readonly method?: string
  readonly url: string
  /** The headers that will be sent; must include content-type. */
  readonly headers: HeaderInput
  readonly body: BodyInput
  readonly keyId: string
  readonly privateKey: KeyInput
  /** Unix seconds (default: now). */
  readonly created?: number
  readonly expiresInSeconds?: number
  readonly nonce?: string
}

export interface SignatureHeaders06 {
  readonly digest: string
  readonly signature: string
  readonly 'signature-input': string
}

/** The draft-06 base: `name: value` lines (names unquoted), then `@signature-params: <raw input>`. */
export function signatureBase06(input: SignatureBaseInput): string | { missing: string } {
  return buildSignatureBase((name) => name, input)
}

export function signWebhook(input: SignWebhookInput): SignatureHeaders06 {
  const method = input.method ?? 'POST'
  const headers = normalizeHeaders(input.headers)
  const digest = digestSha256(input.body)
  headers.set('digest', digest)
  const components = WEBHOOK_COVERED.filter((name) => name.startsWith('@') || headers.has(name))
  const created = input.created ?? Math.floor(Date.now() / 1000)
  const rawParams = serializeInnerList(components, [
    ['keyid', input.keyId],
    ['created', created],
    ['nonce', input.nonce ?? randomBytes(NONCE_BYTES).toString('base64url')],
    ['expires', created + (input.expiresInSeconds ?? WEBHOOK_EXPIRES_IN_SECONDS)],
  ])
  const base = signatureBase06({ components, rawParams, method, url: input.url, headers })
  if (typeof base !== 'string') throw new Error(`cannot sign: ${base.missing} has no value`)
  const signature = signBytes(input.privateKey, Buffer.from(base, 'utf8')).toString('base64')
  return { digest, signature: `${SIGNATURE_LABEL}=:${signature}:`, 'signature-input': `${SIGNATURE_LABEL}=${rawParams}` }
}

export interface VerifyWebhookInput extends TimeOptions {
  readonly method?: string
  /** The path (and query) the delivery arrived on. */
  readonly url: string
  readonly headers: HeaderInput
  /** The raw body bytes as received. */
  readonly body: BodyInput
  readonly publicKeyFor: PublicKeyLookup
}

/** Everything but the signature bytes; those are checked by the caller, on or off the event loop. */
function prepareVerifyWebhook(input: VerifyWebhookInput): VerifyResult | PendingSignatureCheck {
  const headers = normalizeHeaders(input.headers)
  const parsed = readSignature(headers)
  if ('ok' in parsed) return parsed
  // A digest-only signature could be replayed to another path or with another method.
  const coverage = checkRequired(parsed, ['@method', ['@path', '@request-target'], 'digest'])
  if (coverage !== undefined) return coverage
  const digest = headers.get('digest')
  if (digest === undefined || !digestMatches(digest, input.body)) return fail('digest_mismatch', 'digest does not match the body')
  const times = checkTimes(parsed, input)
  if (times !== undefined) return times
  const base = signatureBase06({
    components: parsed.input.items,
    rawParams: parsed.input.raw,
    method: input.method ?? 'POST',
    url: input.url,
    headers,
  })
  if (typeof base !== 'string') return fail('missing_component', `${base.missing} is signed but not present`)
  return { parsed, base }
}

export function verifyWebhook(input: VerifyWebhookInput): VerifyResult {
  const pending = prepareVerifyWebhook(input)
  return 'ok' in pending ? pending : checkSignatureBytes(pending, input.publicKeyFor)
}

/** `verifyWebhook` with the signature check on libuv's thread pool, for servers. */
export async function verifyWebhookAsync(input: VerifyWebhookInput): Promise<VerifyResult> {
  const pending = prepareVerifyWebhook(input)
  return 'ok' in pending ? pending : checkSignatureBytesAsync(pending, input.publicKeyFor)
}
