import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSigningKeyPair, keyLookupFromJwks } from '../../../shared/node/http-signature'
import { ProblemSchema } from '../../../shared/schemas'
import { createSandboxClient } from '../../support/sandbox-client'
import { startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'

let t: TestSandbox

beforeAll(async () => {
  t = await startTestSandbox({ seed: 3 })
})
afterAll(async () => {
  await t.close()
})

async function tokenCall(form: Record<string, string>, clientId = t.sandbox.devClient.clientId) {
  const body = new URLSearchParams(form).toString()
  // Signed without a body, sent with one: the body is not covered by any digest.
  return createSandboxClient(t.sandbox.url, t.sandbox.devClient).call('POST', '/auth/token', {
    token: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'upvest-client-id': clientId },
    sendBody: body,
    body: undefined,
  })
}

describe('POST /auth/token', () => {
  it('issues an opaque token with the requested scopes and expiry', async () => {
    const token = await t.client.token(['users:read'])
    expect(token.length).toBeGreaterThan(20)
    const list = await t.client.call('GET', '/users', { token })
    expect(list.status).toBe(200)
  })

  it('answers 401 for a wrong secret, 400 for an unknown scope, 403 for a scope the client may not have', async () => {
    const base = { client_id: t.sandbox.devClient.clientId, grant_type: 'client_credentials' }
    // Unsigned bodies are refused when signatures are on, so these go through a sandbox with checks off.
    const open = await startTestSandbox({ verifySignatures: false })
    try {
      const post = (form: Record<string, string>, clientId = open.sandbox.devClient.clientId) =>
        fetch(`${open.sandbox.url}/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'upvest-client-id': clientId },
          body: new URLSearchParams(form).toString(),
        })
      const wrong = await post({ ...base, client_secret: 'nope', scope: 'users:read' })
      expect(wrong.status).toBe(401)
      expect(wrong.headers.get('content-type')).toContain('application/problem+json')
      const unknown = await post({ ...base, client_secret: t.sandbox.devClient.clientSecret, scope: 'users:everything' })
      expect(unknown.status).toBe(400)
      expect(ProblemSchema.parse(await unknown.json()).detail).toContain('scope')
      const forbidden = await open.readOnly.token(['users:admin']).catch((error: unknown) => String(error))
      expect(forbidden).toContain('403')
      const okay = await post({ ...base, client_secret: t.sandbox.devClient.clientSecret, scope: 'users:read users:admin' })
      expect(okay.status).toBe(200)
      expect(await okay.json()).toMatchObject({ token_type: 'bearer', scope: 'users:read users:admin', expires_in: 1800 })
    } finally {
      await open.close()
    }
  })

  it('refuses a token call whose body the signature does not cover', async () => {
    const result = await tokenCall({
      client_id: t.sandbox.devClient.clientId,
      client_secret: t.sandbox.devClient.clientSecret,
      grant_type: 'client_credentials',
      scope: 'users:read',
    })
    expect(result.status).toBe(401)
  })
})

describe('request authentication', () => {
  it('needs upvest-client-id, a bearer token and the right scope', async () => {
    const noClient = await fetch(`${t.sandbox.url}/users`)
    expect(noClient.status).toBe(401)
    expect(noClient.headers.get('upvest-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const problem = ProblemSchema.parse(await noClient.json())
    expect(problem).toMatchObject({
      type: 'unauthorized',
      status: 401,
      instance: '/users',
      request_id: noClient.headers.get('upvest-request-id'),
    })
    expect(problem.detail).toContain('upvest-client-id')

    expect((await t.client.call('GET', '/users', { token: false })).status).toBe(401)
    expect((await t.client.call('GET', '/users', { token: 'not-a-token' })).status).toBe(401)
    const readToken = await t.client.token(['users:read'])
    const forbidden = await t.client.call('DELETE', '/users/00000000-0000-4000-8000-000000000000', { token: readToken })
    expect(forbidden.status).toBe(403)
    expect((await t.readOnly.call('GET', '/users')).status).toBe(200)
    // Another client's token does not work with this client id.
    const othersToken = await t.p521.token()
    expect((await t.client.call('GET', '/users', { token: othersToken })).status).toBe(401)
  })

  it('rejects revoked and expired tokens', { timeout: 60_000 }, async () => {
    // Long enough that the first call surely falls inside it, even on a loaded machine.
    const short = await startTestSandbox({ tokenTtlSeconds: 4 })
    try {
      const token = await short.client.token()
      expect((await short.client.call('GET', '/users', { token })).status).toBe(200)
      const deadline = Date.now() + 20_000
      let status = 200
      while (status === 200 && Date.now() < deadline) {
        status = (await short.client.call('GET', '/users', { token })).status
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(status).toBe(401)
      const fresh = await createSandboxClient(short.sandbox.url, short.sandbox.devClient).token()
      expect((await short.admin('POST', '/tokens/revoke')).status).toBe(204)
      expect((await short.client.call('GET', '/users', { token: fresh })).status).toBe(401)
    } finally {
      await short.close()
    }
  })
})

describe('request signatures', () => {
  const body = { first_name: 'Jana' }

  it('accepts valid Ed25519 and ECDSA P-521 signatures', async () => {
    expect((await t.client.call('GET', '/users?limit=2&order=DESC')).status).toBe(200)
    expect((await t.p521.call('GET', '/users?limit=2')).status).toBe(200)
  })

  it('rejects a tampered body, a wrong key, an expired signature and a missing one', async () => {
    const tampered = await t.client.call('POST', '/users/00000000-0000-4000-8000-000000000000/data_change_requests', {
      body,
      sendBody: JSON.stringify({ first_name: 'Eve' }),
    })
    expect(tampered.status).toBe(401)
    expect(ProblemSchema.parse(tampered.json).detail).toContain('digest')

    const otherKey = generateSigningKeyPair('ed25519').privateKeyPem
    const wrongKey = await t.client.call('GET', '/users', { signWith: { privateKey: otherKey } })
    expect(wrongKey.status).toBe(401)
    expect(ProblemSchema.parse(wrongKey.json).detail).toContain('bad_signature')

    const unknownKey = await t.client.call('GET', '/users', { signWith: { keyId: 'someone-else' } })
    expect(ProblemSchema.parse(unknownKey.json).detail).toContain('unknown_key')

    const created = Math.floor(Date.now() / 1000) - 3600
    const expired = await t.client.call('GET', '/users', { signWith: { created, expiresInSeconds: 60 } })
    expect(expired.status).toBe(401)
    expect(ProblemSchema.parse(expired.json).detail).toContain('expired')

    const oldVersion = await t.client.call('GET', '/users', { headersAfterSigning: { 'upvest-signature-version': '6' } })
    expect(oldVersion.status).toBe(401)
    expect(ProblemSchema.parse(oldVersion.json).detail).toContain('upvest-signature-version')

    const unsigned = await t.client.call('GET', '/users', { sign: false })
    expect(unsigned.status).toBe(401)
    expect(ProblemSchema.parse(unsigned.json).detail).toContain('missing_signature')
  })

  it('does not let a client sign with another client’s key', async () => {
    const borrowed = await t.client.call('GET', '/users', {
      signWith: { keyId: t.p521Identity.keyId, privateKey: t.p521Identity.privateKey },
    })
    expect(borrowed.status).toBe(401)
  })

  it('accepts unsigned requests only when checking is switched off', async () => {
    const open = await startTestSandbox({ verifySignatures: false })
    try {
      expect((await open.client.call('GET', '/users', { sign: false })).status).toBe(200)
    } finally {
      await open.close()
    }
  })
})

describe('GET /auth/verify_keys', () => {
  it('publishes the webhook key as an EC P-521 JWKS, for webhook scopes only', async () => {
    const result = await t.client.call('GET', '/auth/verify_keys', { token: await t.client.token(['webhooks:read']) })
    expect(result.status).toBe(200)
    expect(result.json).toMatchObject({ keys: [{ kid: t.sandbox.webhookKeyId, kty: 'EC', crv: 'P-521' }] })
    expect(keyLookupFromJwks(result.json)(t.sandbox.webhookKeyId)).toBeDefined()
    expect((await t.client.call('GET', '/auth/verify_keys', { token: await t.client.token(['users:read']) })).status).toBe(403)
  })
})
