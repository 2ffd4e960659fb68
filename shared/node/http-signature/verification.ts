/**
 * What both signature formats share on the receiving side: reading `signature-input` and
 * `signature`, the time checks on `created` / `expires`, key lookup, and the result type.
 * The format-specific part (how a base line is written) is passed in.
 */
import type { KeyInput } from './keys'
import { verifyBytes, verifyBytesAsync } from './keys'
import type { DictionaryMember } from './structured-fields'
import { parseDictionary, StructuredFieldError } from './structured-fields'

export const DEFAULT_MAX_SKEW_SECONDS = 30
/** Without `expires`, a signature older than this is treated as a replay. */
export const DEFAULT_MAX_AGE_SECONDS = 300
const MS_PER_SECOND = 1000

export type VerifyFailureReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'missing_component'
  | 'insufficient_coverage'
  | 'unknown_key'
  | 'digest_mismatch'
  | 'created_in_future'
  | 'expired'
  | 'bad_signature'

export type VerifyResult =
  | { readonly ok: true; readonly keyId: string; readonly label: string; readonly created: number; readonly expires: number | undefined }
  | { readonly ok: false; readonly reason: VerifyFailureReason; readonly detail: string }

export type PublicKeyLookup = (keyId: string) => KeyInput | undefined

export interface TimeOptions {
  /** Milliseconds since the epoch, as `Date.now()` gives it (default: now). */
  readonly now?: number
  readonly maxSkewSeconds?: number
  readonly maxAgeSeconds?: number
}

export function fail(reason: VerifyFailureReason, detail: string): VerifyResult {
  return { ok: false, reason, detail }
}

export interface ParsedSignature {
  readonly input: DictionaryMember
  readonly signature: Buffer
  readonly keyId: string
  readonly created: number
  readonly expires: number | undefined
}

/** Picks the first labelled signature that has both an input and a value. */
export function readSignature(headers: Map<string, string>): ParsedSignature | VerifyResult {
  const inputHeader = headers.get('signature-input')
  const signatureHeader = headers.get('signature')
  if (inputHeader === undefined || signatureHeader === undefined)
    return fail('missing_signature', 'signature and signature-input headers are required')
  let inputs: DictionaryMember[]
  let signatures: DictionaryMember[]
  try {
    inputs = parseDictionary(inputHeader)
    signatures = parseDictionary(signatureHeader)
  } catch (error) {
    if (error instanceof StructuredFieldError) return fail('malformed_signature', error.message)
    throw error
  }
  for (const input of inputs) {
    const value = signatures.find((member) => member.label === input.label)?.bytes
    if (value === undefined) continue
    const keyId = input.params.get('keyid')
    const created = input.params.get('created')
    const expires = input.params.get('expires')
    if (typeof keyId !== 'string' || keyId === '') return fail('malformed_signature', `${input.label}: keyid is required`)
    if (typeof created !== 'number') return fail('malformed_signature', `${input.label}: created is required`)
    if (expires !== undefined && typeof expires !== 'number')
      return fail('malformed_signature', `${input.label}: expires must be an integer`)
    return { input, signature: value, keyId, created, expires }
  }
  return fail('malformed_signature', 'no signature-input label has a matching signature')
}

export function checkTimes(parsed: ParsedSignature, options: TimeOptions): VerifyResult | undefined {
  const nowSeconds = Math.floor((options.now ?? Date.now()) / MS_PER_SECOND)
  const skew = options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS
  if (parsed.created > nowSeconds + skew) return fail('created_in_future', `created ${parsed.created} is in the future`)
  if (parsed.expires !== undefined && parsed.expires + skew < nowSeconds) return fail('expired', `signature expired at ${parsed.expires}`)
  if (parsed.expires === undefined && parsed.created + (options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS) + skew < nowSeconds) {
    return fail('expired', `signature created at ${parsed.created} is too old`)
  }
  return undefined
}

/** Each entry must be covered; an array entry is satisfied by any one of its components. */
export function checkRequired(parsed: ParsedSignature, required: ReadonlyArray<string | readonly string[]>): VerifyResult | undefined {
  const missing = required
    .map((entry) => (typeof entry === 'string' ? [entry] : entry))
    .filter((choices) => !choices.some((component) => parsed.input.items.includes(component)))
    .map((choices) => choices.join(' or '))
  return missing.length === 0 ? undefined : fail('insufficient_coverage', `signature does not cover ${missing.join(', ')}`)
}

/** What is left once headers, coverage, digest and times passed: the signature over `base`. */
export interface PendingSignatureCheck {
  readonly parsed: ParsedSignature
  readonly base: string
}

function keyFor(parsed: ParsedSignature, lookup: PublicKeyLookup): KeyInput | undefined {
  try {
    return lookup(parsed.keyId)
  } catch {
    return undefined
  }
}

function verdict(parsed: ParsedSignature, valid: boolean): VerifyResult {
  if (!valid) return fail('bad_signature', 'signature does not match the request')
  return { ok: true, keyId: parsed.keyId, label: parsed.input.label, created: parsed.created, expires: parsed.expires }
}

const unusableKey = (error: unknown): VerifyResult => fail('unknown_key', error instanceof Error ? error.message : 'unusable key')

export function checkSignatureBytes({ parsed, base }: PendingSignatureCheck, lookup: PublicKeyLookup): VerifyResult {
  const key = keyFor(parsed, lookup)
  if (key === undefined) return fail('unknown_key', `no public key for keyid ${parsed.keyId}`)
  try {
    return verdict(parsed, verifyBytes(key, Buffer.from(base, 'utf8'), parsed.signature))
  } catch (error) {
    return unusableKey(error)
  }
}

/** `checkSignatureBytes` with the cryptography off the event loop (see `verifyBytesAsync`). */
export async function checkSignatureBytesAsync({ parsed, base }: PendingSignatureCheck, lookup: PublicKeyLookup): Promise<VerifyResult> {
  const key = keyFor(parsed, lookup)
  if (key === undefined) return fail('unknown_key', `no public key for keyid ${parsed.keyId}`)
  try {
    return verdict(parsed, await verifyBytesAsync(key, Buffer.from(base, 'utf8'), parsed.signature))
  } catch (error) {
    return unusableKey(error)
  }
}
