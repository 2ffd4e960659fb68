/**
 * EC P-521 public keys as JWK / JWKS, the shape `GET /auth/verify_keys` publishes for
 * webhook verification: export for the simulator, import (validated) for the bridge.
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import { parseUnknown } from '../../parse'
import { VerifyKeySchema, VerifyKeysSchema, type VerifyKeys } from '../../schemas'
import type { KeyInput } from './keys'
import { algorithmOf, toPublicKey } from './keys'
import type { PublicKeyLookup } from './verification'

export interface EcPublicJwk {
  readonly kid: string
  readonly kty: 'EC'
  readonly crv: 'P-521'
  readonly x: string
  readonly y: string
  readonly alg: 'ES512'
  readonly use: 'sig'
}

export function publicJwkFromKey(key: KeyInput, kid: string): EcPublicJwk {
  const publicKey = toPublicKey(key)
  if (algorithmOf(publicKey) !== 'ecdsa-p521-sha512') throw new Error('verify keys must be EC P-521')
  const jwk = publicKey.export({ format: 'jwk' })
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new Error('EC key without coordinates')
  return { kid, kty: 'EC', crv: 'P-521', x: jwk.x, y: jwk.y, alg: 'ES512', use: 'sig' }
}

export function jwksFromKeys(entries: ReadonlyArray<{ readonly kid: string; readonly key: KeyInput }>): { keys: EcPublicJwk[] } {
  return { keys: entries.map((entry) => publicJwkFromKey(entry.key, entry.kid)) }
}

/** Imports one JWK after checking it is an EC P-521 public key. */
export function publicKeyFromJwk(jwk: unknown): KeyObject {
  const parsed = parseUnknown(VerifyKeySchema, jwk, 'verify key')
  return createPublicKey({ key: { kty: parsed.kty, crv: parsed.crv, x: parsed.x, y: parsed.y }, format: 'jwk' })
}

/** A `publicKeyFor` for the verifiers, from a JWKS answer (checked). */
export function keyLookupFromJwks(jwks: unknown): PublicKeyLookup {
  const parsed: VerifyKeys = parseUnknown(VerifyKeysSchema, jwks, 'verify keys')
  const keys = new Map(parsed.keys.map((jwk) => [jwk.kid, publicKeyFromJwk(jwk)]))
  return (keyId) => keys.get(keyId)
}
