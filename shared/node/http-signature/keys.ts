/**
 * Key handling for message signatures: which algorithm a key implies (Ed25519, or ECDSA
 * P-521 with SHA-512), raw sign/verify of a signature base, key-pair generation for dev
 * clients and the simulator. No header or HTTP knowledge lives here.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify, type VerifyKeyObjectInput } from 'node:crypto'

/** A PEM string or an already-imported key. */
export type KeyInput = KeyObject | string

export type SignatureAlgorithm = 'ed25519' | 'ecdsa-p521-sha512'

/** An ECDSA P-521 signature as IEEE P1363 (r || s) is exactly this long; DER is longer. */
const P521_P1363_LENGTH = 132

export function toPrivateKey(key: KeyInput): KeyObject {
  return typeof key === 'string' ? createPrivateKey(key) : key
}

export function toPublicKey(key: KeyInput): KeyObject {
  if (typeof key === 'string') return createPublicKey(key)
  // A private key object also yields its public half, which is handy in tests.
  return key.type === 'private' ? createPublicKey(key) : key
}

/** The algorithm is chosen from the key, never from the message, so a forged `alg` cannot downgrade it. */
export function algorithmOf(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519'
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp521r1') return 'ecdsa-p521-sha512'
  throw new Error(`unsupported signing key: ${key.asymmetricKeyType ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim())
}

/** Signs bytes; ECDSA signatures are ASN.1 DER, as the provider's own signing proxy writes them. */
export function signBytes(privateKey: KeyInput, data: Buffer): Buffer {
  const key = toPrivateKey(privateKey)
  const algorithm = algorithmOf(key)
  return algorithm === 'ed25519' ? sign(null, data, key) : sign('sha512', data, { key, dsaEncoding: 'der' })
}

/** The digest and key options `verify` needs; ECDSA accepts DER and, by its fixed length, IEEE P1363 (RFC 9421's r || s). */
function verifyParams(publicKey: KeyInput, signature: Buffer): { digest: string | null; key: KeyObject | VerifyKeyObjectInput } {
  const key = toPublicKey(publicKey)
  if (algorithmOf(key) === 'ed25519') return { digest: null, key }
  return { digest: 'sha512', key: { key, dsaEncoding: signature.length === P521_P1363_LENGTH ? 'ieee-p1363' : 'der' } }
}

/** Verifies bytes on the calling thread. */
export function verifyBytes(publicKey: KeyInput, data: Buffer, signature: Buffer): boolean {
  const { digest, key } = verifyParams(publicKey, signature)
  try {
    return verify(digest, data, key, signature)
  } catch {
    // A malformed signature is a failed verification, not a crash of the receiver.
    return false
  }
}

/**
 * The same check on libuv's thread pool: a P-521 verification costs about a millisecond of
 * CPU, which a server should not spend on its event loop, and the pool uses the other cores.
 */
export function verifyBytesAsync(publicKey: KeyInput, data: Buffer, signature: Buffer): Promise<boolean> {
  const { digest, key } = verifyParams(publicKey, signature)
  return new Promise((resolve) => {
    try {
      verify(digest, data, key, signature, (error, valid) => resolve(error === null && valid))
    } catch {
      resolve(false)
    }
  })
}

export type KeyKind = 'ed25519' | 'p521'

export interface GeneratedKeyPair {
  readonly privateKeyPem: string
  readonly publicKeyPem: string
}

export function generateSigningKeyPair(kind: KeyKind): GeneratedKeyPair {
  const pair = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'secp521r1' })
  return {
    privateKeyPem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  }
}
