import { describe, expect, it } from 'vitest'
import {
  generateSigningKeyPair,
  signRequest,
  verifyRequest,
  verifyRequestAsync,
  type KeyKind,
} from '../../../../../shared/node/http-signature'

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0)
const NOW_S = NOW_MS / 1000

function signedPost(kind: KeyKind, overrides: { body?: string; created?: number; expiresInSeconds?: number } = {}) {
  const keys = generateSigningKeyPair(kind)
  const body = overrides.body ?? JSON.stringify({ first_name: 'Jana' })
  const headers = {
    accept: 'application/json',
    authorization: 'Bearer abc',
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'idempotency-key': '0b0c6f1e-8a44-4b8e-9a51-6a3a1c2d3e4f',
    'upvest-client-id': '6b3a1e0c-1d2e-4f5a-8b9c-0d1e2f3a4b5c',
  }
  const added = signRequest({
    method: 'POST',
    url: 'https://sandbox.example/users?x=1',
    headers,
    body,
    keyId: 'key-1',
    privateKey: keys.privateKeyPem,
    created: overrides.created ?? NOW_S,
    expiresInSeconds: overrides.expiresInSeconds,
  })
  return { keys, body, headers: { ...headers, ...added }, added }
}

describe('draft-15 request signatures', () => {
  it.each<KeyKind>(['ed25519', 'p521'])('round-trips with %s keys and covers the provider list', (kind) => {
    const { keys, body, headers, added } = signedPost(kind)
    expect(added['upvest-signature-version']).toBe('15')
    expect(added['content-digest']).toMatch(/^sha-512=:[A-Za-z0-9+/]+=*:$/)
    expect(added['signature-input']).toMatch(
      /^sig1=\("@method" "@path" "@query" "accept" "authorization" "content-length" "content-type" "content-digest" "idempotency-key" "upvest-client-id"\);keyid="key-1";created=\d+;expires=\d+;nonce="[^"]+"$/,
    )
    const result = verifyRequest({
      method: 'POST',
      url: '/users?x=1',
      headers,
      body,
      publicKeyFor: (id) => (id === 'key-1' ? keys.publicKeyPem : undefined),
      now: NOW_MS,
    })
    expect(result).toMatchObject({ ok: true, keyId: 'key-1', label: 'sig1' })
  })

  it.each<KeyKind>(['ed25519', 'p521'])('reaches the same verdicts off the event loop with %s keys (verifyRequestAsync)', async (kind) => {
    const { keys, body, headers } = signedPost(kind)
    const lookup = () => keys.publicKeyPem
    await expect(
      verifyRequestAsync({ method: 'POST', url: '/users?x=1', headers, body, publicKeyFor: lookup, now: NOW_MS }),
    ).resolves.toMatchObject({ ok: true, keyId: 'key-1' })
    await expect(
      verifyRequestAsync({ method: 'PUT', url: '/users?x=1', headers, body, publicKeyFor: lookup, now: NOW_MS }),
    ).resolves.toMatchObject({ ok: false, reason: 'bad_signature' })
    const other = generateSigningKeyPair(kind)
    await expect(
      verifyRequestAsync({ method: 'POST', url: '/users?x=1', headers, body, publicKeyFor: () => other.publicKeyPem, now: NOW_MS }),
    ).resolves.toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  it('rejects a tampered body by its digest', () => {
    const { keys, headers } = signedPost('ed25519')
    const result = verifyRequest({
      method: 'POST',
      url: '/users?x=1',
      headers,
      body: '{"first_name":"Eve"}',
      publicKeyFor: () => keys.publicKeyPem,
      now: NOW_MS,
    })
    expect(result).toMatchObject({ ok: false, reason: 'digest_mismatch' })
  })

  it('rejects a tampered body whose digest was recomputed', () => {
    const { keys, headers } = signedPost('p521')
    const { added } = signedPost('p521', { body: '{"first_name":"Eve"}' })
    const forged = { ...headers, 'content-digest': added['content-digest'] }
    const result = verifyRequest({
      method: 'POST',
      url: '/users?x=1',
      headers: forged,
      body: '{"first_name":"Eve"}',
      publicKeyFor: () => keys.publicKeyPem,
      now: NOW_MS,
    })
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  it('rejects a signature made with another key', () => {
    const { body, headers } = signedPost('ed25519')
    const other = generateSigningKeyPair('ed25519')
    const result = verifyRequest({ method: 'POST', url: '/users?x=1', headers, body, publicKeyFor: () => other.publicKeyPem, now: NOW_MS })
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  it('rejects an unknown key id', () => {
    const { body, headers } = signedPost('ed25519')
    const result = verifyRequest({ method: 'POST', url: '/users?x=1', headers, body, publicKeyFor: () => undefined, now: NOW_MS })
    expect(result).toMatchObject({ ok: false, reason: 'unknown_key' })
  })

  it('rejects an expired signature and one created in the future', () => {
    const { keys, body, headers } = signedPost('ed25519', { created: NOW_S - 600, expiresInSeconds: 60 })
    expect(
      verifyRequest({ method: 'POST', url: '/users?x=1', headers, body, publicKeyFor: () => keys.publicKeyPem, now: NOW_MS }),
    ).toMatchObject({ ok: false, reason: 'expired' })
    const future = signedPost('ed25519', { created: NOW_S + 600 })
    const result = verifyRequest({
      method: 'POST',
      url: '/users?x=1',
      headers: future.headers,
      body: future.body,
      publicKeyFor: () => future.keys.publicKeyPem,
      now: NOW_MS,
    })
    expect(result).toMatchObject({ ok: false, reason: 'created_in_future' })
  })

  it('rejects a request whose signed path or query was changed', () => {
    const { keys, body, headers } = signedPost('ed25519')
    const lookup = () => keys.publicKeyPem
    expect(verifyRequest({ method: 'POST', url: '/users/other?x=1', headers, body, publicKeyFor: lookup, now: NOW_MS })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    })
    expect(verifyRequest({ method: 'POST', url: '/users?x=2', headers, body, publicKeyFor: lookup, now: NOW_MS })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    })
    expect(verifyRequest({ method: 'PUT', url: '/users?x=1', headers, body, publicKeyFor: lookup, now: NOW_MS })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('rejects missing signature headers and missing or uncovered components', () => {
    const { keys, body, headers } = signedPost('ed25519')
    const lookup = () => keys.publicKeyPem
    const { signature: _s, ...unsigned } = headers
    expect(verifyRequest({ method: 'POST', url: '/users?x=1', headers: unsigned, body, publicKeyFor: lookup, now: NOW_MS })).toMatchObject({
      ok: false,
      reason: 'missing_signature',
    })
    const { accept: _a, ...withoutAccept } = headers
    expect(
      verifyRequest({ method: 'POST', url: '/users?x=1', headers: withoutAccept, body, publicKeyFor: lookup, now: NOW_MS }),
    ).toMatchObject({ ok: false, reason: 'missing_component' })

    // Signed without the idempotency key, then sent with one: the key could have been swapped.
    const { 'idempotency-key': _i, ...noKey } = headers
    const signedWithoutKey = signRequest({
      method: 'POST',
      url: '/users?x=1',
      headers: noKey,
      body,
      keyId: 'k',
      privateKey: keys.privateKeyPem,
      created: NOW_S,
    })
    const sent = { ...noKey, ...signedWithoutKey, 'idempotency-key': 'injected' }
    expect(verifyRequest({ method: 'POST', url: '/users?x=1', headers: sent, body, publicKeyFor: lookup, now: NOW_MS })).toMatchObject({
      ok: false,
      reason: 'insufficient_coverage',
    })
  })

  it('rejects malformed signature headers without throwing', () => {
    const { keys, body, headers } = signedPost('ed25519')
    const broken = { ...headers, 'signature-input': 'sig1=("@method" ;keyid=' }
    expect(
      verifyRequest({ method: 'POST', url: '/users?x=1', headers: broken, body, publicKeyFor: () => keys.publicKeyPem, now: NOW_MS }),
    ).toMatchObject({ ok: false, reason: 'malformed_signature' })
  })

  it('signs a GET without body or content-digest', () => {
    const keys = generateSigningKeyPair('p521')
    const headers = { accept: 'application/json', authorization: 'Bearer t', 'upvest-client-id': 'c' }
    const added = signRequest({ method: 'GET', url: '/users', headers, keyId: 'k', privateKey: keys.privateKeyPem, created: NOW_S })
    expect(added['content-digest']).toBeUndefined()
    expect(added['signature-input']).not.toContain('@query')
    const result = verifyRequest({
      method: 'GET',
      url: '/users',
      headers: { ...headers, ...added },
      publicKeyFor: () => keys.publicKeyPem,
      now: NOW_MS,
    })
    expect(result.ok).toBe(true)
  })
})
