/** "Test connection" reports facts (what happened, users visible, the answer's own text); the renderer words them. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testConnection } from '../../../electron/services/runtime/test-connection'
import type { ApiResult } from '../../../shared/api-result'
import type { ApiClient } from '../../../shared/node/api'
import type { AppConfig } from '../../../shared/settings'

const listing = (result: ApiResult<unknown>) => ({ listUsers: async () => result }) as unknown as ApiClient
const configFor = (bridgeUrl: string | undefined, bridgeToken: string | undefined): AppConfig => ({
  settings: {
    apiBaseUrl: 'http://127.0.0.1:9',
    clientId: '408dace2-f80d-4cf1-b3cf-df7699c685c2',
    keyId: 'k',
    scopes: ['users:read'],
    startMinimized: false,
    closeToTray: true,
    ...(bridgeUrl === undefined ? {} : { bridgeUrl }),
  },
  secrets: bridgeToken === undefined ? {} : { bridgeToken },
})

describe('test connection', () => {
  let bridge: Server
  let bridgeUrl: string
  beforeAll(async () => {
    bridge = createServer((request, response) => {
      const status = request.headers.authorization === 'Bearer good' ? 200 : request.headers.authorization === 'Bearer down' ? 503 : 401
      response.writeHead(status, { 'content-type': 'application/json' }).end('{}')
    })
    await new Promise<void>((resolve) => bridge.listen(0, '127.0.0.1', resolve))
    bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => bridge.close(() => resolve())))

  it('says how many users the API shows and that the bridge took the token', async () => {
    const api = listing({ ok: true, value: { data: [], meta: { total_count: 200, offset: 0, limit: 1 } } })
    expect(await testConnection(api, configFor(bridgeUrl, 'good'))).toEqual({
      api: { ok: true, outcome: 'connected', users: 200 },
      bridge: { ok: true, outcome: 'connected' },
    })
  })

  it('tells refused credentials, a server error and no answer apart, with the answer’s own text', async () => {
    const refused = listing({ ok: false, error: { kind: 'auth', status: 401, message: 'invalid_client' } })
    expect((await testConnection(refused, configFor(bridgeUrl, 'bad'))).api).toEqual({
      ok: false,
      outcome: 'rejected',
      detail: 'invalid_client',
    })
    const failing = listing({ ok: false, error: { kind: 'transient', reason: 'server', status: 503, message: 'Service Unavailable' } })
    const failed = await testConnection(failing, configFor(bridgeUrl, 'down'))
    expect(failed.api).toEqual({ ok: false, outcome: 'error', detail: 'Service Unavailable' })
    expect(failed.bridge).toEqual({ ok: false, outcome: 'error', detail: 'HTTP 503' })
    const silent = listing({ ok: false, error: { kind: 'transient', reason: 'network', message: 'connect ECONNREFUSED' } })
    expect((await testConnection(silent, configFor('http://127.0.0.1:9', 'good'))).api).toEqual({
      ok: false,
      outcome: 'unreachable',
      detail: 'connect ECONNREFUSED',
    })
    expect((await testConnection(silent, configFor(bridgeUrl, 'bad'))).bridge).toEqual({
      ok: false,
      outcome: 'rejected',
      detail: 'HTTP 401',
    })
  })

  it('says what is not configured yet', async () => {
    expect(await testConnection(null, configFor(undefined, undefined))).toEqual({
      api: { ok: false, outcome: 'not_configured' },
      bridge: { ok: false, outcome: 'not_configured' },
    })
  })
})
