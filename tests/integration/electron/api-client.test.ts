import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { clientConfigForDemo, createApiClient, type ApiClient, type ApiClientConfig, type ApiClientEvent } from '../../../shared/node/api'
import { startSandbox, type Sandbox } from '../../../server/sandbox'
import type { CreateUserBody } from '../../../shared/schemas'

const body = (overrides: Partial<CreateUserBody> = {}): CreateUserBody => ({
  first_name: 'Ada',
  last_name: 'Lovelace',
  birth_date: '1990-05-17',
  nationalities: ['DE'],
  address: { address_line1: 'Hauptstr. 1', postcode: '10115', city: 'Berlin', country: 'DE' },
  ...overrides,
})

describe('API client against the simulator', () => {
  let sandbox: Sandbox
  const configFor = (overrides: Partial<ApiClientConfig> = {}): ApiClientConfig => ({
    ...clientConfigForDemo(sandbox.url, sandbox.devClient),
    timeoutMs: 5_000,
    ...overrides,
  })
  const admin = (method: string, path: string, json?: unknown) =>
    fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: { 'x-sandbox-admin-token': sandbox.adminToken, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    })

  beforeAll(async () => {
    sandbox = await startSandbox({ offboardDelayMs: 60_000, dataChangeDelayMs: 60_000 })
  })
  afterAll(async () => {
    await sandbox?.close()
  })
  afterEach(async () => {
    await admin('DELETE', '/faults')
  })

  function clientWithEvents(overrides: Partial<ApiClientConfig> = {}): { api: ApiClient; events: ApiClientEvent[] } {
    const events: ApiClientEvent[] = []
    return { api: createApiClient(configFor({ ...overrides, onEvent: (event) => events.push(event) })), events }
  }

  it('creates, reads and lists users with signed requests; the caller’s idempotency key makes a retry safe', async () => {
    const { api } = clientWithEvents()
    const key = randomUUID()
    const created = await api.createUser(body(), key)
    expect(created).toMatchObject({ ok: true, value: { first_name: 'Ada', status: 'ACTIVE' } })
    if (!created.ok) return
    const again = await api.createUser(body(), key)
    expect(again.ok && again.value.id).toBe(created.value.id)
    expect(await api.getUser(created.value.id)).toMatchObject({ ok: true, value: { id: created.value.id } })
    const page = await api.listUsers({ limit: 1000 })
    expect(page.ok && page.value.data.some((u) => u.id === created.value.id)).toBe(true)
  })

  it('reuses the token until shortly before it expires, then fetches a new one', async () => {
    let now = Date.now()
    const { api, events } = clientWithEvents({ now: () => now })
    await api.listUsers({ limit: 1 })
    await api.listUsers({ limit: 1 })
    expect(events.filter((e) => e.type === 'token_fetched')).toHaveLength(1)
    now += 29 * 60 * 1000 // the simulator's tokens live 30 minutes; we renew a minute early
    await api.listUsers({ limit: 1 })
    expect(events.filter((e) => e.type === 'token_fetched')).toHaveLength(2)
  })

  it('refreshes the token once on 401 and succeeds', async () => {
    const { api, events } = clientWithEvents()
    expect((await api.listUsers({ limit: 1 })).ok).toBe(true)
    await admin('POST', '/tokens/revoke')
    expect((await api.listUsers({ limit: 1 })).ok).toBe(true)
    expect(events.map((e) => e.type)).toEqual(['token_fetched', 'token_rejected', 'token_fetched'])
  })

  it('reports wrong credentials as auth', async () => {
    const { api } = clientWithEvents({ clientSecret: 'wrong' })
    const result = await api.listUsers()
    expect(!result.ok && result.error.kind).toBe('auth')
  })

  it('reports 429 as transient with the Retry-After delay', async () => {
    const { api } = clientWithEvents()
    await api.listUsers({ limit: 1 }) // token first: the fault counts the next request
    await admin('PATCH', '/faults', { rateLimitNext: 1, retryAfterSeconds: 7 })
    const result = await api.getUser(randomUUID())
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'transient', reason: 'rate_limited', status: 429, retryAfterMs: 7000 }),
    })
  })

  it('reports 5xx as transient server errors', async () => {
    const { api } = clientWithEvents()
    await api.listUsers({ limit: 1 })
    await admin('PATCH', '/faults', { errorRate: 1, errorStatus: 503 })
    const result = await api.listUsers({ limit: 1 })
    expect(!result.ok && result.error).toMatchObject({ kind: 'transient', reason: 'server', status: 503 })
  })

  it('gives up at the hard timeout', async () => {
    const { api } = clientWithEvents()
    await api.listUsers({ limit: 1 })
    await admin('PATCH', '/faults', { latencyMs: 3_000 })
    const slow = createApiClient(configFor({ timeoutMs: 300 }))
    const started = Date.now()
    const result = await slow.listUsers({ limit: 1 })
    expect(!result.ok && result.error).toMatchObject({ kind: 'transient', reason: 'timeout' })
    expect(Date.now() - started).toBeLessThan(2_500)
  })

  it('maps validation (with field errors), not found and conflict', async () => {
    const { api } = clientWithEvents()
    const poBox = await api.createUser(
      body({ address: { address_line1: 'P.O. Box 12', postcode: '10115', city: 'Berlin', country: 'DE' } }),
      randomUUID(),
    )
    expect(!poBox.ok && poBox.error).toMatchObject({
      kind: 'validation',
      status: 400,
      fieldErrors: [expect.objectContaining({ field: 'address.address_line1' })],
    })
    const missing = await api.getUser(randomUUID())
    expect(!missing.ok && missing.error.kind).toBe('not_found')
    const created = await api.createUser(body({ first_name: 'Grace' }), randomUUID())
    if (!created.ok) throw new Error(created.error.message)
    expect(await api.offboardUser(created.value.id)).toEqual({ ok: true, value: null })
    const twice = await api.offboardUser(created.value.id)
    expect(!twice.ok && twice.error.kind).toBe('conflict')
  })

  it('manages webhook subscriptions and reads the verify keys', async () => {
    const { api } = clientWithEvents()
    const created = await api.createWebhook({
      title: 'outpost test',
      url: 'http://127.0.0.1:9/webhooks',
      type: ['USER'],
      config: { delay: '5s', max_package_size: 1000 },
    })
    if (!created.ok) throw new Error(created.error.message)
    expect(created.value.enabled).toBe(false)
    const enabled = await api.updateWebhook(created.value.id, { enabled: true })
    expect(enabled.ok && enabled.value.enabled).toBe(true)
    const list = await api.listWebhooks()
    expect(list.ok && list.value.data.some((w) => w.id === created.value.id)).toBe(true)
    expect((await api.testWebhook(created.value.id)).ok).toBe(true)
    expect(await api.deleteWebhook(created.value.id)).toEqual({ ok: true, value: null })
    const keys = await api.getVerifyKeys()
    expect(keys.ok && keys.value.keys[0]?.kid).toBe(sandbox.webhookKeyId)
  })

  it('probes reachability without credentials', async () => {
    expect(await createApiClient(configFor({ clientSecret: 'wrong' })).probe()).toEqual({ ok: true, value: null })
  })
})

describe('API client against a misbehaving server', () => {
  let server: Server
  let baseUrl: string
  let usersAnswer: { status: number; body: string } = { status: 200, body: '' }
  let tokenRequests = 0
  let userRequests = 0
  const seenHeaders: Array<Record<string, string | string[] | undefined>> = []
  const signer = () => ({ signature: 'sig1=:AA==:', 'signature-input': 'sig1=()' })

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/auth/token') {
        tokenRequests++
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: `t${tokenRequests}`, expires_in: 1800, token_type: 'bearer', scope: 'users:read' }))
        return
      }
      userRequests++
      seenHeaders.push(request.headers)
      response.writeHead(usersAnswer.status, { 'content-type': 'application/json' }).end(usersAnswer.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const client = () =>
    createApiClient({
      baseUrl,
      clientId: randomUUID(),
      clientSecret: 's',
      keyId: 'k',
      privateKeyPem: '',
      scopes: ['users:read'],
      timeoutMs: 2_000,
      sign: signer,
    })

  it('sends the headers the API requires and passes the caller’s idempotency key through unchanged', async () => {
    const clientId = randomUUID()
    const key = randomUUID()
    const api = createApiClient({
      baseUrl,
      clientId,
      clientSecret: 's',
      keyId: 'k',
      privateKeyPem: '',
      scopes: ['users:read'],
      sign: signer,
    })
    usersAnswer = { status: 202, body: '' }
    seenHeaders.length = 0
    await api.createUser(
      {
        first_name: 'Ab',
        last_name: 'Cd',
        birth_date: '1990-01-01',
        nationalities: ['DE'],
        address: { address_line1: 'A 1', postcode: '1', city: 'B', country: 'DE' },
      },
      key,
    )
    await api.offboardUser(randomUUID())
    expect(seenHeaders[0]).toMatchObject({
      'upvest-client-id': clientId,
      'upvest-api-version': '1',
      accept: 'application/json',
      authorization: expect.stringMatching(/^Bearer t\d+$/),
      'content-type': 'application/json',
      'idempotency-key': key,
      signature: 'sig1=:AA==:',
    })
    expect(seenHeaders[1]?.['idempotency-key']).toBeUndefined()
  })

  it('rejects garbage and wrongly shaped answers as invalid_response', async () => {
    usersAnswer = { status: 200, body: '<html>hello</html>' }
    const notJson = await client().getUser(randomUUID())
    expect(!notJson.ok && notJson.error.kind).toBe('invalid_response')
    usersAnswer = { status: 200, body: JSON.stringify({ id: 'not-a-uuid', first_name: 1 }) }
    const wrong = await client().getUser(randomUUID())
    expect(!wrong.ok && wrong.error).toMatchObject({ kind: 'invalid_response', message: expect.stringContaining('first_name') })
    usersAnswer = { status: 200, body: JSON.stringify({ meta: {}, data: 'nope' }) }
    const list = await client().listUsers()
    expect(!list.ok && list.error.kind).toBe('invalid_response')
  })

  it('refreshes only once when 401 persists, then reports auth', async () => {
    usersAnswer = { status: 401, body: JSON.stringify({ type: 'unauthorized', status: 401, title: 'Unauthorized' }) }
    tokenRequests = 0
    userRequests = 0
    const result = await client().getUser(randomUUID())
    expect(!result.ok && result.error.kind).toBe('auth')
    expect(tokenRequests).toBe(2)
    expect(userRequests).toBe(2)
  })

  it('reads an HTTP-date Retry-After on 503', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString()
    server.removeAllListeners('request')
    server.on('request', (request, response) => {
      if (request.url === '/auth/token') {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: 't', expires_in: 1800, token_type: 'bearer', scope: 'users:read' }))
        return
      }
      response.writeHead(503, { 'retry-after': at }).end()
    })
    const result = await client().getUser(randomUUID())
    expect(!result.ok && result.error).toMatchObject({ kind: 'transient', reason: 'server' })
    const retryAfterMs = !result.ok && result.error.kind === 'transient' ? result.error.retryAfterMs : undefined
    expect(retryAfterMs).toBeGreaterThan(50_000)
  })

  it('reports a refused connection as a transient network error', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const api = createApiClient({
      baseUrl: `http://127.0.0.1:${port}`,
      clientId: randomUUID(),
      clientSecret: 's',
      keyId: 'k',
      privateKeyPem: '',
      scopes: ['users:read'],
      sign: signer,
    })
    const result = await api.listUsers()
    expect(!result.ok && result.error).toMatchObject({ kind: 'transient', reason: 'network' })
    expect(!(await api.probe()).ok).toBe(true)
  })
})
