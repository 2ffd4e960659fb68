/**
 * HTTP message signatures for the Users API, plain Node (no electron): draft-15 request
 * signing/verification with content-digest, draft-06 webhook signing/verification with
 * digest, Ed25519 and ECDSA P-521/SHA-512 keys, EC P-521 JWKS helpers.
 */
export { contentDigestSha512, digestSha256 } from './digest'
export type { BodyInput } from './digest'
export { signWebhook, verifyWebhook, verifyWebhookAsync, signatureBase06, WEBHOOK_COVERED } from './draft06'
export type { SignWebhookInput, SignatureHeaders06, VerifyWebhookInput } from './draft06'
export { signRequest, verifyRequest, verifyRequestAsync, signatureBase15, COVERED_HEADERS, SIGNATURE_VERSION } from './draft15'
export type { SignRequestInput, SignatureHeaders15, VerifyRequestInput } from './draft15'
export type { HeaderInput } from './headers'
export { jwksFromKeys, keyLookupFromJwks, publicJwkFromKey, publicKeyFromJwk } from './jwk'
export type { EcPublicJwk } from './jwk'
export { algorithmOf, generateSigningKeyPair, toPrivateKey, toPublicKey } from './keys'
export type { KeyInput, KeyKind, SignatureAlgorithm } from './keys'
export { DEFAULT_MAX_SKEW_SECONDS, DEFAULT_MAX_AGE_SECONDS } from './verification'
export type { PublicKeyLookup, VerifyFailureReason, VerifyResult } from './verification'
