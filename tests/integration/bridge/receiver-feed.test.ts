import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../../../shared/node/api'
import { generateSigningKeyPair } from '../../../shared/node/http-signature'
import { createPrivateKey } from 'node:crypto'
import { startBridge, type RunningBridge } from '../../../server/bridge/index'
import type { Sandbox } from '../../../server/sandbox/index'
import {
  deliver,
  deliverSigned,
  readFeed,
  signDelivery,
  signDeliveryCovering,
  startSandboxWithKnownKey,
  userEvent,
  waitFor,
  type WebhookKey,
} from './support'

const MAX_BODY_BYTES = 64 * 1024
const REPLAY_WINDOW_SECONDS = 120
const LONG_POLL_LATENCY_LIMIT_MS = 100

describe('bridge receiver and feed (real simulator, real SQLite)', () => {
  let dir: string
  let sandbox: Sandbox
  let key: WebhookKey
  let bridge: RunningBridge
  /** Feed position after everything the previous test stored. */
  let cursor: string

  const feed = (query: Parameters<typeof readFeed>[2] = {}) => readFeed(bridge.url, bridge.clientToken, query)
  const storedCount = async (): Promise<number> => {
    const health = (await (await fetch(`${bridge.url}/health`)).json()) as { storage: { events: number } }
    return health.storage.events
  }
  const drain = async (): Promise<string[]> => {
    const answer = await feed({ after: cursor, limit: 1000 })
    expect(answer.status).toBe(200)
    cursor = answer.body.next_cursor!
    return (answer.body.events ?? []).map((e) => e.id)
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-it-'))
    ;({ sandbox, webhookKey: key } = await startSandboxWithKnownKey(dir))
    bridge = await startBridge({
      dataDir: join(dir, 'bridge'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      bootstrap: true,
      maxBodyBytes: MAX_BODY_BYTES,
      replayWindowSeconds: REPLAY_WINDOW_SECONDS,
      logLevel: 'silent',
    })
    cursor = (await feed()).body.next_cursor!
  })
  afterAll(async () => {
    await bridge?.close()
    await sandbox?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('bootstraps an enabled USER subscription at the simulator for its receiver', async () => {
    expect(bridge.subscription).toMatchObject({ state: 'ok', action: 'created', url: bridge.receiverUrl })
  })

  it('delivers the simulator’s signed webhooks to the feed', async () => {
    const devClient = sandbox.devClient
    const api = createApiClient({ baseUrl: sandbox.url, ...devClient, scopes: devClient.scopes })
    const waiting = feed({ after: cursor, wait: 20 })
    const created = await api.createUser(
      {
        first_name: 'Ada',
        last_name: 'Lovelace',
        birth_date: '1990-12-10',
        birth_city: 'London',
        birth_country: 'GB',
        nationalities: ['GB'],
        address: { address_line1: 'Main Street 1', postcode: '10115', city: 'Berlin', country: 'DE' },
      },
      randomUUID(),
    )
    if (!created.ok) throw new Error(created.error.message)
    const types: string[] = []
    let after = cursor
    let answer = await waiting
    for (;;) {
      expect(answer.status).toBe(200)
      types.push(...(answer.body.events ?? []).map((e) => (e as unknown as { type: string }).type))
      after = answer.body.next_cursor!
      if (types.length >= 2) break
      answer = await feed({ after, wait: 20 })
    }
    // Order across packages is not guaranteed by the API, only inside one.
    expect([...types].sort()).toEqual(['USER.ACTIVATED', 'USER.CREATED'])
    cursor = after
  })

  it('acknowledges the API’s subscription test delivery without storing it', async () => {
    if (bridge.subscription.state !== 'ok') throw new Error('no subscription')
    const api = createApiClient({ baseUrl: sandbox.url, ...sandbox.devClient })
    const before = await storedCount()
    expect((await api.testWebhook(bridge.subscription.id)).ok).toBe(true)
    const attempt = await waitFor('the test delivery', async () => {
      const log = (await (
        await fetch(`${sandbox.url}/__sandbox/deliveries`, { headers: { 'x-sandbox-admin-token': sandbox.adminToken } })
      ).json()) as {
        deliveries: Array<{ event_types: string[]; status: number | null }>
      }
      return log.deliveries.find((d) => d.event_types.includes('WEBHOOK.TEST'))
    })
    expect(attempt.status).toBe(200)
    expect(await storedCount()).toBe(before)
  })

  it('stores duplicate and reordered deliveries once each, in arrival order', async () => {
    const [a, b, c] = [userEvent(), userEvent(), userEvent()]
    expect((await deliverSigned(bridge.receiverUrl, [c], key)).json).toEqual({ received: 1, stored: 1, duplicates: 0 })
    expect((await deliverSigned(bridge.receiverUrl, [a, b], key)).status).toBe(200)
    expect((await deliverSigned(bridge.receiverUrl, [b, a, c], key)).json).toEqual({ received: 3, stored: 0, duplicates: 3 })
    expect((await deliverSigned(bridge.receiverUrl, [a, a], key)).json).toEqual({ received: 2, stored: 0, duplicates: 2 })
    expect(await drain()).toEqual([c.id, a.id, b.id])
  })

  it('accepts a single bare event and the draft-15 format (content-digest)', async () => {
    const single = userEvent()
    const body = JSON.stringify(single)
    expect((await deliver(bridge.receiverUrl, body, signDelivery(bridge.receiverUrl, body, { key }))).status).toBe(200)
    const modern = userEvent()
    const modernBody = JSON.stringify({ payload: [modern] })
    const answer = await deliver(bridge.receiverUrl, modernBody, signDelivery(bridge.receiverUrl, modernBody, { key, format: 'draft-15' }))
    expect(answer.status).toBe(200)
    expect(await drain()).toEqual([single.id, modern.id])
  })

  it('accepts a draft-06 signature over the request target instead of @path', async () => {
    const event = userEvent()
    const body = JSON.stringify({ payload: [event] })
    const headers = signDeliveryCovering(bridge.receiverUrl, body, ['@method', '@request-target', 'digest'], { key })
    expect((await deliver(bridge.receiverUrl, body, headers)).status).toBe(200)
    expect(await drain()).toEqual([event.id])
  })

  describe('rejects and stores nothing', () => {
    const now = () => Math.floor(Date.now() / 1000)
    const cases: Array<{ name: string; status: number; reason: string; send: () => Promise<{ status: number; json: unknown }> }> = [
      {
        name: 'a tampered body',
        status: 401,
        reason: 'digest_mismatch',
        send: async () => {
          const body = JSON.stringify({ payload: [userEvent()] })
          return deliver(
            bridge.receiverUrl,
            body.replace('USER.CREATED', 'USER.OFFBOARDED'),
            signDelivery(bridge.receiverUrl, body, { key }),
          )
        },
      },
      {
        name: 'a signature by another key under the API’s keyid',
        status: 401,
        reason: 'bad_signature',
        send: async () => {
          const other = { keyId: key.keyId, privateKey: createPrivateKey(generateSigningKeyPair('p521').privateKeyPem) }
          return deliverSigned(bridge.receiverUrl, [userEvent()], other)
        },
      },
      {
        name: 'a signature by an unknown key',
        status: 401,
        reason: 'unknown_key',
        send: async () =>
          deliverSigned(bridge.receiverUrl, [userEvent()], {
            keyId: randomUUID(),
            privateKey: createPrivateKey(generateSigningKeyPair('p521').privateKeyPem),
          }),
      },
      {
        name: 'a stale signature (past expires)',
        status: 401,
        reason: 'expired',
        send: async () => {
          const body = JSON.stringify({ payload: [userEvent()] })
          return deliver(
            bridge.receiverUrl,
            body,
            signDelivery(bridge.receiverUrl, body, { key, created: now() - 3600, expiresInSeconds: 300 }),
          )
        },
      },
      {
        name: 'a signature created before the replay window, however late it expires',
        status: 401,
        reason: 'stale',
        send: async () => {
          const body = JSON.stringify({ payload: [userEvent()] })
          return deliver(
            bridge.receiverUrl,
            body,
            signDelivery(bridge.receiverUrl, body, { key, created: now() - 3 * REPLAY_WINDOW_SECONDS, expiresInSeconds: 86_400 }),
          )
        },
      },
      ...[
        { format: 'draft-06', covered: ['digest'] },
        { format: 'draft-06', covered: ['@path', 'content-type', 'digest'] },
        { format: 'draft-06', covered: ['@method', 'content-type', 'digest'] },
        { format: 'draft-06', covered: ['@method', '@path', 'content-type'] },
        { format: 'draft-15', covered: ['content-digest'] },
        { format: 'draft-15', covered: ['@method', 'content-digest'] },
      ].map(({ format, covered }) => ({
        name: `a genuine ${format} signature covering only ${covered.join(' ')}`,
        status: 401,
        reason: 'insufficient_coverage',
        send: async () => {
          const body = JSON.stringify({ payload: [userEvent()] })
          const headers = signDeliveryCovering(bridge.receiverUrl, body, covered, { key, format: format as 'draft-06' | 'draft-15' })
          return deliver(bridge.receiverUrl, body, headers)
        },
      })),
      {
        name: 'an unsigned delivery',
        status: 401,
        reason: 'missing_signature',
        send: async () => deliver(bridge.receiverUrl, JSON.stringify({ payload: [userEvent()] }), { 'content-type': 'application/json' }),
      },
      {
        name: 'a body over the size limit (before any signature work)',
        status: 413,
        reason: 'fst_err_ctp_body_too_large',
        send: async () => {
          const events = [userEvent()]
          while (JSON.stringify({ payload: events }).length <= MAX_BODY_BYTES) events.push(userEvent())
          return deliverSigned(bridge.receiverUrl, events, key)
        },
      },
      {
        name: 'signed malformed JSON',
        status: 400,
        reason: 'malformed_body',
        send: async () => {
          const body = '{"payload": [ {"id": '
          return deliver(bridge.receiverUrl, body, signDelivery(bridge.receiverUrl, body, { key }))
        },
      },
    ]

    it.each(cases)('$name -> $status $reason', async ({ status, reason, send }) => {
      const before = await storedCount()
      const answer = await send()
      expect(answer.status).toBe(status)
      expect(answer.json).toMatchObject({ status, type: `urn:outpost:bridge:${reason}` })
      expect(await storedCount()).toBe(before)
    })

    it('a delivery with one invalid event -> 422 naming the field, and none of its valid events', async () => {
      const before = await storedCount()
      const valid = userEvent()
      const invalid = { ...userEvent(), object: { ...userEvent().object, status: 'SLEEPING' } }
      const body = JSON.stringify({ payload: [valid, invalid] })
      const answer = await deliver(bridge.receiverUrl, body, signDelivery(bridge.receiverUrl, body, { key }))
      expect(answer.status).toBe(422)
      expect(answer.json).toMatchObject({ type: 'urn:outpost:bridge:invalid_event' })
      expect((answer.json as { detail: string }).detail).toContain('payload.1.object.status')
      expect(await storedCount()).toBe(before)
      expect(await drain()).toEqual([])
    })
  })

  it('answers a waiting long-poll within 100 ms of an arrival', async () => {
    const event = userEvent()
    const waiting = feed({ after: cursor, wait: 25 }).then((answer) => ({ answer, at: performance.now() }))
    await waitFor('the long-poll to be parked', async () => {
      const health = (await (await fetch(`${bridge.url}/health`)).json()) as { waiting_clients: number }
      return health.waiting_clients >= 1 ? true : undefined
    })
    const stored = await deliverSigned(bridge.receiverUrl, [event], key)
    const storedAt = performance.now()
    expect(stored.status).toBe(200)
    const { answer, at } = await waiting
    expect(answer.body.events?.map((e) => e.id)).toEqual([event.id])
    expect(Math.max(0, at - storedAt)).toBeLessThan(LONG_POLL_LATENCY_LIMIT_MS)
    cursor = answer.body.next_cursor!
  })

  it('wakes many long-polls with one delivery, each answered for its own cursor and limit', async () => {
    const older = userEvent()
    expect((await deliverSigned(bridge.receiverUrl, [older], key)).status).toBe(200)
    const beforeOlder = cursor
    const head = (await feed({ after: cursor, limit: 1000 })).body.next_cursor!
    const parked = Array.from({ length: 30 }, (_, i) => feed({ after: head, limit: i % 2 === 0 ? 1 : 5, wait: 25 }))
    await waitFor('the long-polls to be parked', async () => {
      const health = (await (await fetch(`${bridge.url}/health`)).json()) as { waiting_clients: number }
      return health.waiting_clients >= 30 ? true : undefined
    })
    const [first, second] = [userEvent(), userEvent()]
    expect((await deliverSigned(bridge.receiverUrl, [first!, second!], key)).status).toBe(200)
    const answers = await Promise.all(parked)
    const ids = (answer: (typeof answers)[number]) => answer.body.events?.map((e) => e.id)
    answers.forEach((answer, i) => expect(ids(answer)).toEqual(i % 2 === 0 ? [first!.id] : [first!.id, second!.id]))
    // Each page's cursor continues exactly where that page ended.
    expect(ids(await feed({ after: answers[0]!.body.next_cursor }))).toEqual([second!.id])
    expect(ids(await feed({ after: answers[1]!.body.next_cursor }))).toEqual([])
    expect(ids(await feed({ after: beforeOlder }))).toEqual([older.id, first!.id, second!.id])
    cursor = answers[1]!.body.next_cursor!
  })

  it('ends an empty long-poll after `wait` with the same cursor', async () => {
    const started = performance.now()
    const answer = await feed({ after: cursor, wait: 0.2 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(150)
    expect(answer.body).toEqual({ events: [], next_cursor: cursor, subscription: { live: true, state: 'ok' } })
  })

  it('releases the waiter of a client that hangs up', async () => {
    const hangUp = new AbortController()
    const waiting = readFeed(bridge.url, bridge.clientToken, { after: cursor, wait: 25 }, hangUp.signal).catch((error: unknown) => error)
    const waitingClients = async () => ((await (await fetch(`${bridge.url}/health`)).json()) as { waiting_clients: number }).waiting_clients
    await waitFor('the long-poll to be parked', async () => ((await waitingClients()) >= 1 ? true : undefined))
    hangUp.abort()
    await waiting
    await waitFor('the waiter to be released', async () => ((await waitingClients()) === 0 ? true : undefined))
  })

  it('refuses a wrong or missing token with 401', async () => {
    expect((await readFeed(bridge.url, 'not-the-token')).status).toBe(401)
    const missing = await fetch(`${bridge.url}/events`)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('content-type')).toContain('application/problem+json')
  })

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 5000 }, 'limit'],
    [{ wait: -1 }, 'wait'],
    [{ after: 'not-a-cursor!' }, 'after'],
  ])('answers 400 problem+json for bad parameters %j', async (query, field) => {
    const answer = await feed(query)
    expect(answer.status).toBe(400)
    expect(answer.contentType).toContain('application/problem+json')
    expect(answer.body.detail).toContain(field)
  })

  it('reports health: storage, last delivery, verify-key age', async () => {
    const health = (await (await fetch(`${bridge.url}/health`)).json()) as Record<string, unknown>
    expect(health).toMatchObject({ status: 'ok', storage: { ok: true }, verify_keys: { count: 1 } })
    expect(typeof health.last_delivery_at).toBe('string')
    expect(JSON.stringify(health)).not.toContain(bridge.clientToken)
  })
})
