// The app's own API client (shared/node/api) against the simulator: the two sides
// must agree on headers, signatures, idempotency, status codes and problem details.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient, type ApiClient } from '../../../shared/node/api'
import type { CreateUserBody } from '../../../shared/schemas'
import { createBody, startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'

let t: TestSandbox
let api: ApiClient

beforeAll(async () => {
  t = await startTestSandbox({ seed: 12, offboardDelayMs: 60_000, dataChangeDelayMs: 60_000 })
  const client = t.sandbox.devClient
  api = createApiClient({
    baseUrl: t.sandbox.url,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    keyId: client.keyId,
    privateKeyPem: client.privateKeyPem,
    scopes: client.scopes,
  })
})
afterAll(async () => {
  await t.close()
})

const body = (overrides: Record<string, unknown> = {}) => createBody(overrides) as CreateUserBody

describe('the app API client against the simulator', () => {
  it('creates idempotently, reads, lists, requests a change and offboards', async () => {
    const key = randomUUID()
    const created = await api.createUser(body(), key)
    if (!created.ok) throw new Error(JSON.stringify(created.error))
    const replay = await api.createUser(body(), key)
    expect(replay).toEqual(created)
    expect(await api.getUser(created.value.id)).toEqual(created)
    const list = await api.listUsers({ sort: 'updated_at', order: 'DESC', limit: 5 })
    expect(list.ok && list.value.data[0]?.id).toBe(created.value.id)
    expect(await api.requestDataChange(created.value.id, { title: 'DR' })).toEqual({ ok: true, value: null })
    expect(await api.requestDataChange(created.value.id, { title: 'PROF' })).toMatchObject({ ok: false, error: { kind: 'conflict' } })
    expect(await api.offboardUser(created.value.id)).toEqual({ ok: true, value: null })
    expect(await api.offboardUser(created.value.id)).toMatchObject({ ok: false, error: { kind: 'conflict' } })
  })

  it('gets field errors, not_found and a 422 for a reused key', async () => {
    const invalid = await api.createUser(
      body({ address: { address_line1: 'Postfach 12', postcode: '10115', city: 'Berlin', country: 'DE' } }),
      randomUUID(),
    )
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'validation', status: 400 } })
    if (!invalid.ok && invalid.error.kind === 'validation')
      expect(invalid.error.fieldErrors.map((f) => f.field)).toContain('address.address_line1')
    expect(await api.getUser(randomUUID())).toMatchObject({ ok: false, error: { kind: 'not_found' } })
    const key = randomUUID()
    await api.createUser(body(), key)
    expect(await api.createUser(body({ first_name: 'Other' }), key)).toMatchObject({ ok: false, error: { status: 422 } })
  })

  it('sees 429 with Retry-After and 503 as transient', async () => {
    await t.admin('PATCH', '/faults', { rateLimitNext: 1, retryAfterSeconds: 3 })
    expect(await api.listUsers()).toMatchObject({ ok: false, error: { kind: 'transient', reason: 'rate_limited', retryAfterMs: 3000 } })
    await t.admin('PATCH', '/faults', { errorRate: 1, errorStatus: 503 })
    expect(await api.listUsers()).toMatchObject({ ok: false, error: { kind: 'transient' } })
    await t.admin('DELETE', '/faults')
    expect((await api.listUsers()).ok).toBe(true)
  })

  it('gets a new token after the old one is revoked', async () => {
    expect((await api.listUsers()).ok).toBe(true)
    await t.admin('POST', '/tokens/revoke')
    expect((await api.listUsers()).ok).toBe(true)
  })

  it('manages webhooks and reads the verify keys', async () => {
    const created = await api.createWebhook({
      title: 'Outpost',
      url: 'http://127.0.0.1:9/hooks',
      type: ['USER'],
      config: { delay: '5s', max_package_size: 1024 },
    })
    if (!created.ok) throw new Error(JSON.stringify(created.error))
    expect(created.value.enabled).toBe(false)
    expect(await api.updateWebhook(created.value.id, { enabled: true })).toMatchObject({ ok: true, value: { enabled: true } })
    expect(await api.listWebhooks()).toMatchObject({ ok: true, value: { meta: { total_count: 1 } } })
    expect(await api.testWebhook(created.value.id)).toEqual({ ok: true, value: null })
    expect(await api.deleteWebhook(created.value.id)).toEqual({ ok: true, value: null })
    expect(await api.getVerifyKeys()).toMatchObject({ ok: true, value: { keys: [{ kid: t.sandbox.webhookKeyId, crv: 'P-521' }] } })
  })
})
