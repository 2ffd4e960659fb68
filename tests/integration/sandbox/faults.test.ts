import { request } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ListUsersResponseSchema, ProblemSchema, UserSchema } from '../../../shared/schemas'
import { createSandboxClient, newIdempotencyKey } from '../../support/sandbox-client'
import { createBody, startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'

let t: TestSandbox

beforeAll(async () => {
  t = await startTestSandbox({ seed: 5, offboardDelayMs: 60_000, dataChangeDelayMs: 60_000 })
  // Fetch the token once, so fault switches hit the calls under test, not the token call.
  await t.client.token()
})
afterEach(async () => {
  await t.admin('DELETE', '/faults')
})
afterAll(async () => {
  await t.close()
})

describe('fault switches', () => {
  it('adds latency to API calls but not to admin calls', async () => {
    await t.admin('PATCH', '/faults', { latencyMs: 300 })
    const started = performance.now()
    expect((await t.client.call('GET', '/users?limit=1')).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    expect((await t.admin('GET', '/state')).status).toBe(200)
  })

  it('answers 500 or 503 at the configured rate', async () => {
    await t.admin('PATCH', '/faults', { errorRate: 1, errorStatus: 500 })
    const failed = await t.client.call('GET', '/users')
    expect(failed.status).toBe(500)
    expect(ProblemSchema.parse(failed.json)).toMatchObject({ type: 'internal_server_error', status: 500 })
    expect(failed.headers.get('upvest-request-id')).not.toBeNull()
    await t.admin('PATCH', '/faults', { errorStatus: 503 })
    expect((await t.client.call('GET', '/users')).status).toBe(503)
    await t.admin('PATCH', '/faults', { errorRate: 0 })
    expect((await t.client.call('GET', '/users')).status).toBe(200)
  })

  it('answers 429 with Retry-After to the next n calls, then normally', async () => {
    await t.admin('PATCH', '/faults', { rateLimitNext: 2, retryAfterSeconds: 7 })
    const first = await t.client.call('GET', '/users')
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('7')
    expect(ProblemSchema.parse(first.json).type).toBe('too_many_requests')
    expect((await t.client.call('GET', '/users')).status).toBe(429)
    expect((await t.client.call('GET', '/users')).status).toBe(200)
  })

  it('answers 429 to everything while the switch is on', async () => {
    await t.admin('PATCH', '/faults', { rateLimitAll: true })
    for (let i = 0; i < 3; i += 1) expect((await t.client.call('GET', '/users')).status).toBe(429)
    await t.admin('PATCH', '/faults', { rateLimitAll: false })
    expect((await t.client.call('GET', '/users')).status).toBe(200)
  })

  it('drops connections without an answer', async () => {
    await t.admin('PATCH', '/faults', { dropNext: 1 })
    await expect(t.client.call('GET', '/users')).rejects.toThrow()
    expect((await t.client.call('GET', '/users')).status).toBe(200)
    // A dropped write never ran: nothing was created.
    const before = ((await t.admin('GET', '/state')).json as { users: number }).users
    await t.admin('PATCH', '/faults', { dropNext: 1 })
    await expect(t.client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })).rejects.toThrow()
    expect(((await t.admin('GET', '/state')).json as { users: number }).users).toBe(before)
  })

  it('loses the answer of a committed write: the user exists, a retry with the same key replays it', async () => {
    await t.admin('PATCH', '/faults', { timeoutAfterCommitNext: 1 })
    // A token call in between is not a write: it is answered and leaves the switch armed.
    await createSandboxClient(t.sandbox.url, t.sandbox.devClient).token()
    const key = newIdempotencyKey()
    const body = createBody({ first_name: 'Konstantin' })
    const before = ((await t.admin('GET', '/state')).json as { users: number }).users
    await expect(t.client.call('POST', '/users', { body, idempotencyKey: key })).rejects.toThrow()
    expect(((await t.admin('GET', '/state')).json as { users: number }).users).toBe(before + 1)
    const retry = await t.client.call('POST', '/users', { body, idempotencyKey: key })
    expect(retry.status).toBe(200)
    const user = UserSchema.parse(retry.json)
    expect(user.first_name).toBe('Konstantin')
    const list = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=1000')).json)
    expect(list.data.filter((u) => u.first_name === 'Konstantin')).toHaveLength(1)
  })

  it('rejects unknown fault settings', async () => {
    expect((await t.admin('PATCH', '/faults', { explode: true })).status).toBe(400)
    expect((await t.admin('PATCH', '/faults', { errorRate: 2 })).status).toBe(400)
  })
})

describe('per-client rate limit', () => {
  it('answers 429 with Retry-After past the configured requests per second', async () => {
    const limited = await startTestSandbox({ rateLimitPerSecond: 1 })
    try {
      await limited.client.token()
      // Ten at once cannot all fall into different one-second windows.
      const results = await Promise.all(Array.from({ length: 10 }, () => limited.client.call('GET', '/users?limit=1')))
      const refused = results.filter((r) => r.status === 429)
      expect(refused.length).toBeGreaterThan(0)
      expect(refused[0]?.headers.get('retry-after')).toBe('1')
    } finally {
      await limited.close()
    }
  })
})

describe('lifecycle shortcuts and reset', () => {
  it('completes all pending offboardings and data changes on request', async () => {
    const created = await t.client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })
    const user = UserSchema.parse(created.json)
    await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })
    expect((await t.admin('POST', '/data-changes/apply')).json).toEqual({ applied: 1 })
    await t.client.call('DELETE', `/users/${user.id}`)
    expect((await t.admin('POST', '/offboarding/complete')).json).toEqual({ completed: 1 })
    expect(UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json)).toMatchObject({ status: 'OFFBOARDED', title: 'DR' })
  })

  it('resets to a deterministic seed', async () => {
    expect((await t.admin('POST', '/reset', { seed: 40 })).json).toEqual({ users: 40 })
    const first = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=1000')).json)
    await t.admin('POST', '/reset', { seed: 40 })
    const second = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=1000')).json)
    expect(second.data).toEqual(first.data)
    expect(first.meta.total_count).toBe(40)
    await t.admin('POST', '/reset', { seed: 40, prngSeed: 7 })
    const other = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=1000')).json)
    expect(other.data[0]?.id).not.toBe(first.data[0]?.id)
  })
})

/** fetch cannot set Host; a DNS-rebinding page arrives with its own name in it. */
function postWithHost(port: number, path: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      res.resume()
      resolve(res.statusCode)
    })
    req.on('error', reject)
    req.end('{}')
  })
}

describe('the admin refuses what a web page could send', () => {
  const userCount = async (): Promise<number> => ((await t.admin('GET', '/state')).json as { users: number }).users

  it('refuses a cross-origin no-cors POST (text/plain or no type, foreign Origin): nothing is wiped', async () => {
    const before = await userCount()
    expect(before).toBeGreaterThan(0)
    const url = `${t.sandbox.url}/__sandbox/reset`
    const attempts: Array<Record<string, string>> = [
      { origin: 'http://127.0.0.1:5173' },
      { origin: 'http://127.0.0.1:5173', 'content-type': 'text/plain;charset=UTF-8' },
      { origin: 'http://evil.example', 'content-type': 'application/json' },
      { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' },
    ]
    for (const headers of attempts) {
      const answer = await fetch(url, { method: 'POST', headers, body: headers['content-type'] === undefined ? undefined : '{}' })
      expect(answer.status).toBe(403)
      expect(ProblemSchema.parse(await answer.json()).type).toBe('forbidden')
    }
    expect(await userCount()).toBe(before)
  })

  it('refuses a foreign Host even with the token', async () => {
    const before = await userCount()
    for (const host of ['evil.example', `evil.example:${t.sandbox.port}`, `127.0.0.1:${t.sandbox.port + 1}`]) {
      expect(
        await postWithHost(t.sandbox.port, '/__sandbox/reset', {
          host,
          'content-type': 'application/json',
          'x-sandbox-admin-token': t.sandbox.adminToken,
        }),
      ).toBe(403)
    }
    expect(await userCount()).toBe(before)
  })

  it('answers with its token, or JSON from its own or no Origin', async () => {
    const state = `${t.sandbox.url}/__sandbox/state`
    expect((await fetch(state)).status).toBe(403)
    expect((await fetch(state, { headers: { 'x-sandbox-admin-token': 'wrong' } })).status).toBe(403)
    expect((await fetch(state, { headers: { 'x-sandbox-admin-token': t.sandbox.adminToken } })).status).toBe(200)
    expect((await fetch(state, { headers: { 'content-type': 'application/json' } })).status).toBe(200)
    expect((await fetch(state, { headers: { 'content-type': 'application/json', origin: t.sandbox.url } })).status).toBe(200)
  })
})
