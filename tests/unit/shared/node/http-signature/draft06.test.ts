import { createPublicKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  generateSigningKeyPair,
  jwksFromKeys,
  keyLookupFromJwks,
  publicJwkFromKey,
  publicKeyFromJwk,
  signWebhook,
  verifyWebhook,
  verifyWebhookAsync,
} from '../../../../../shared/node/http-signature'

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0)
const NOW_S = NOW_MS / 1000
const BODY = JSON.stringify({ payload: [{ id: 'e1', type: 'USER.CREATED' }] })

function delivery(created = NOW_S) {
  const keys = generateSigningKeyPair('p521')
  const headers = { 'content-type': 'application/json' }
  const added = signWebhook({
    url: 'http://127.0.0.1:9/hooks/upvest',
    headers,
    body: BODY,
    keyId: 'wh-1',
    privateKey: keys.privateKeyPem,
    created,
  })
  return { keys, headers: { ...headers, ...added }, added }
}

describe('draft-06 webhook signatures', () => {
  it('round-trips with the older base format and a SHA-256 digest', () => {
    const { keys, headers, added } = delivery()
    expect(added.digest).toMatch(/^SHA-256=[A-Za-z0-9+/]+=*$/)
    expect(added['signature-input']).toMatch(
      /^sig1=\("@method" "@path" "content-type" "digest"\);keyid="wh-1";created=\d+;nonce="[^"]+";expires=\d+$/,
    )
    expect(added.signature).toMatch(/^sig1=:[A-Za-z0-9+/]+=*:$/)
    const result = verifyWebhook({ url: '/hooks/upvest', headers, body: BODY, publicKeyFor: () => keys.publicKeyPem, now: NOW_MS })
    expect(result).toMatchObject({ ok: true, keyId: 'wh-1' })
  })

  it('rejects a tampered body, a wrong key and an expired signature', () => {
    const { keys, headers } = delivery()
    expect(
      verifyWebhook({ url: '/hooks/upvest', headers, body: BODY.replace('e1', 'e2'), publicKeyFor: () => keys.publicKeyPem, now: NOW_MS }),
    ).toMatchObject({
      ok: false,
      reason: 'digest_mismatch',
    })
    const other = generateSigningKeyPair('p521')
    expect(verifyWebhook({ url: '/hooks/upvest', headers, body: BODY, publicKeyFor: () => other.publicKeyPem, now: NOW_MS })).toMatchObject(
      { ok: false, reason: 'bad_signature' },
    )
    const old = delivery(NOW_S - 3600)
    expect(
      verifyWebhook({ url: '/hooks/upvest', headers: old.headers, body: BODY, publicKeyFor: () => old.keys.publicKeyPem, now: NOW_MS }),
    ).toMatchObject({ ok: false, reason: 'expired' })
  })

  it('rejects a delivery without digest coverage or headers', () => {
    const { keys, headers } = delivery()
    const { digest: _d, ...noDigest } = headers
    expect(
      verifyWebhook({ url: '/hooks/upvest', headers: noDigest, body: BODY, publicKeyFor: () => keys.publicKeyPem, now: NOW_MS }),
    ).toMatchObject({ ok: false, reason: 'digest_mismatch' })
    const uncovered = { ...headers, 'signature-input': headers['signature-input'].replace(' "digest"', '') }
    expect(
      verifyWebhook({ url: '/hooks/upvest', headers: uncovered, body: BODY, publicKeyFor: () => keys.publicKeyPem, now: NOW_MS }),
    ).toMatchObject({
      ok: false,
      reason: 'insufficient_coverage',
    })
  })

  it('reaches the same verdicts off the event loop (verifyWebhookAsync)', async () => {
    const { keys, headers } = delivery()
    const lookup = () => keys.publicKeyPem
    await expect(
      verifyWebhookAsync({ url: '/hooks/upvest', headers, body: BODY, publicKeyFor: lookup, now: NOW_MS }),
    ).resolves.toMatchObject({
      ok: true,
      keyId: 'wh-1',
    })
    const other = generateSigningKeyPair('p521')
    await expect(
      verifyWebhookAsync({ url: '/hooks/upvest', headers, body: BODY, publicKeyFor: () => other.publicKeyPem, now: NOW_MS }),
    ).resolves.toMatchObject({ ok: false, reason: 'bad_signature' })
    await expect(
      verifyWebhookAsync({ url: '/hooks/other', headers, body: BODY, publicKeyFor: lookup, now: NOW_MS }),
    ).resolves.toMatchObject({ ok: false, reason: 'bad_signature' })
    const garbled = { ...headers, signature: 'sig1=:AAAA:' }
    await expect(
      verifyWebhookAsync({ url: '/hooks/upvest', headers: garbled, body: BODY, publicKeyFor: lookup, now: NOW_MS }),
    ).resolves.toMatchObject({ ok: false, reason: 'bad_signature' })
    await expect(
      verifyWebhookAsync({ url: '/hooks/upvest', headers, body: BODY, publicKeyFor: () => undefined, now: NOW_MS }),
    ).resolves.toMatchObject({ ok: false, reason: 'unknown_key' })
    await expect(
      verifyWebhookAsync({ url: '/hooks/upvest', headers, body: BODY.replace('e1', 'e2'), publicKeyFor: lookup, now: NOW_MS }),
    ).resolves.toMatchObject({ ok: false, reason: 'digest_mismatch' })
  })

  it('verifies with keys published as a P-521 JWKS', () => {
    const { keys, headers } = delivery()
    const jwks = JSON.parse(JSON.stringify(jwksFromKeys([{ kid: 'wh-1', key: keys.publicKeyPem }]))) as unknown
    const lookup = keyLookupFromJwks(jwks)
    expect(verifyWebhook({ url: '/hooks/upvest', headers, body: BODY, publicKeyFor: lookup, now: NOW_MS })).toMatchObject({ ok: true })
    expect(lookup('other')).toBeUndefined()
  })

  it('exports and imports EC P-521 JWKs, refusing other keys', () => {
    const keys = generateSigningKeyPair('p521')
    const jwk = publicJwkFromKey(keys.privateKeyPem, 'k')
    expect(jwk).toMatchObject({ kid: 'k', kty: 'EC', crv: 'P-521' })
    const imported = publicKeyFromJwk(jwk)
    expect(imported.export({ format: 'pem', type: 'spki' })).toBe(
      createPublicKey(keys.publicKeyPem).export({ format: 'pem', type: 'spki' }),
    )
    expect(() => publicJwkFromKey(generateSigningKeyPair('ed25519').publicKeyPem, 'k')).toThrow(/P-521/)
    expect(() => publicKeyFromJwk({ kid: 'k', kty: 'EC', crv: 'P-256', x: 'a', y: 'b' })).toThrow(/crv/)
  })
})
