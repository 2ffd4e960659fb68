import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient, type ApiClient } from '../../../shared/node/api'
import { receiverUrl } from '../../../server/bridge/bootstrap/ensure-subscription'
import { startBridge } from '../../../server/bridge/index'
import type { Sandbox } from '../../../server/sandbox/index'
import { readFeed, signDelivery, deliver, startSandboxWithKnownKey, waitFor, type WebhookKey } from './support'

const PUBLIC_URL = 'http://127.0.0.1:9/outpost'

describe('bridge subscription bootstrap (through the app’s API client)', () => {
  let dir: string
  let sandbox: Sandbox
  let api: ApiClient
  let key: WebhookKey

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-bootstrap-'))
    ;({ sandbox, webhookKey: key } = await startSandboxWithKnownKey(dir))
    api = createApiClient({ baseUrl: sandbox.url, ...sandbox.devClient })
  })
  afterAll(async () => {
    await sandbox?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const run = async () => {
    const bridge = await startBridge({
      dataDir: join(dir, 'bridge'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      publicUrl: PUBLIC_URL,
      logLevel: 'silent',
    })
    await bridge.close()
    return bridge.subscription
  }
  const hooksForUs = async () => {
    const listed = await api.listWebhooks()
    if (!listed.ok) throw new Error(listed.error.message)
    return listed.value.data.filter((hook) => hook.url === `${PUBLIC_URL}/webhooks/upvest`)
  }

  it('creates an enabled USER subscription once, then leaves it alone, and re-enables it when disabled', async () => {
    expect(await run()).toMatchObject({ state: 'ok', action: 'created', url: `${PUBLIC_URL}/webhooks/upvest` })
    const [hook] = await hooksForUs()
    expect(hook).toMatchObject({ enabled: true, type: ['USER'] })

    expect(await run()).toMatchObject({ state: 'ok', action: 'unchanged', id: hook!.id })

    const disabled = await api.updateWebhook(hook!.id, { enabled: false })
    expect(disabled.ok).toBe(true)
    expect(await run()).toMatchObject({ state: 'ok', action: 'enabled', id: hook!.id })
    expect(await hooksForUs()).toEqual([expect.objectContaining({ id: hook!.id, enabled: true })])
  })

  it('reports a failed bootstrap without failing the bridge', async () => {
    const bridge = await startBridge({
      dataDir: join(dir, 'bridge-2'),
      apiUrl: sandbox.url,
      apiCredentials: { ...sandbox.devClient, clientSecret: 'wrong-secret' },
      publicUrl: PUBLIC_URL,
      logLevel: 'silent',
    })
    try {
      expect(bridge.subscription).toMatchObject({ state: 'failed' })
      const health = (await (await fetch(`${bridge.url}/health`)).json()) as {
        status: string
        subscription: { state: string }
        verify_keys: { last_error: string | null }
      }
      expect(health.subscription.state).toBe('failed')
      expect(health).toMatchObject({ status: 'degraded', reasons: [expect.stringMatching(/^subscription failed: auth/)] })
      expect(health.verify_keys.last_error).not.toBeNull()
    } finally {
      await bridge.close()
    }
  })

  it('keeps a confirmed subscription live on the feed while a later check cannot reach the API (unchecked, not paused)', async () => {
    const faults = (body: unknown) =>
      fetch(`${sandbox.url}/__sandbox/faults`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-sandbox-admin-token': sandbox.adminToken },
        body: JSON.stringify(body),
      })
    const bridge = await startBridge({
      dataDir: join(dir, 'bridge-unchecked'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      publicUrl: 'http://127.0.0.1:9/unchecked',
      subscriptionCheckIntervalMs: 60_000,
      logLevel: 'silent',
    })
    try {
      expect(bridge.subscription).toMatchObject({ state: 'ok' })
      // The API goes away: the check fails, but the subscription it confirmed is still there.
      expect((await faults({ rateLimitAll: true })).status).toBe(200)
      expect(await bridge.checkSubscription()).toMatchObject({ state: 'failed' })
      const page = await readFeed(bridge.url, bridge.clientToken)
      expect(page.body).toMatchObject({ subscription: { live: true, state: 'unchecked' } })
      expect(await healthOf(bridge.url)).toMatchObject({ status: 'degraded', subscription: { state: 'failed' } })
    } finally {
      await faults({ rateLimitAll: false })
      await bridge.close()
    }
  })

  it('retries a bootstrap that failed for a transient reason until the API answers', async () => {
    const faults = (body: unknown) =>
      fetch(`${sandbox.url}/__sandbox/faults`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-sandbox-admin-token': sandbox.adminToken },
        body: JSON.stringify(body),
      })
    expect((await faults({ rateLimitAll: true })).status).toBe(200)
    const bridge = await startBridge({
      dataDir: join(dir, 'bridge-3'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      publicUrl: 'http://127.0.0.1:9/retry',
      bootstrapRetryMs: 20,
      logLevel: 'silent',
    })
    try {
      expect(bridge.subscription).toMatchObject({ state: 'failed' })
      expect((await faults({ rateLimitAll: false })).status).toBe(200)
      await waitFor('the retried bootstrap', async () => (bridge.subscription.state === 'ok' ? true : undefined))
      expect(bridge.subscription).toMatchObject({ state: 'ok', action: 'created', url: 'http://127.0.0.1:9/retry/webhooks/upvest' })
    } finally {
      await bridge.close()
      await faults({ rateLimitAll: false })
    }
  })

  interface Health {
    status: string
    reasons: string[]
    subscription: { state: string; id?: string; last_repair?: { reason: string } | null }
  }
  const healthOf = async (url: string): Promise<Health> => (await (await fetch(`${url}/health`)).json()) as Health

  it('re-creates a deleted and re-enables a disabled subscription on its periodic check, and says so', async () => {
    const bridge = await startBridge({
      dataDir: join(dir, 'bridge-monitor'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      bootstrap: true,
      subscriptionCheckIntervalMs: 150,
      logLevel: 'silent',
    })
    try {
      const first = bridge.subscription
      if (first.state !== 'ok') throw new Error(`bootstrap failed: ${JSON.stringify(first)}`)
      expect((await healthOf(bridge.url)).subscription).toMatchObject({ state: 'ok', last_repair: null })

      expect((await api.deleteWebhook(first.id)).ok).toBe(true)
      const recreated = await waitFor('the subscription to be re-created', async () => {
        const health = await healthOf(bridge.url)
        return health.subscription.last_repair?.reason === 'missing' ? health : undefined
      })
      expect(recreated).toMatchObject({ status: 'ok', subscription: { state: 'ok' } })
      const newId = recreated.subscription.id!
      expect(newId).not.toBe(first.id)
      const listed = await api.listWebhooks()
      expect(listed.ok && listed.value.data.filter((hook) => hook.url === bridge.receiverUrl)).toEqual([
        expect.objectContaining({ id: newId, enabled: true }),
      ])

      expect((await api.updateWebhook(newId, { enabled: false })).ok).toBe(true)
      await waitFor('the subscription to be re-enabled', async () =>
        (await healthOf(bridge.url)).subscription.last_repair?.reason === 'disabled' ? true : undefined,
      )
      const hook = await api.listWebhooks()
      expect(hook.ok && hook.value.data.find((h) => h.id === newId)?.enabled).toBe(true)
      // The probe deliveries reach this bridge: live, not silent.
      const page = await readFeed(bridge.url, bridge.clientToken)
      expect(page.body).toMatchObject({ subscription: { live: true, state: 'ok' } })
    } finally {
      await bridge.close()
    }
  })

  it('reports a subscription whose test delivery never arrives as silent (health and feed) until a delivery comes', async () => {
    const bridge = await startBridge({
      dataDir: join(dir, 'bridge-silent'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      // The API posts here; nothing listens, so its test delivery never reaches the bridge.
      publicUrl: 'http://127.0.0.1:9/silent',
      subscriptionCheckIntervalMs: 60_000,
      subscriptionSilenceGraceMs: 200,
      logLevel: 'silent',
    })
    try {
      const silent = await waitFor('the subscription to count as silent', async () => {
        const health = await healthOf(bridge.url)
        return health.status === 'degraded' ? health : undefined
      })
      expect(silent).toMatchObject({ subscription: { state: 'silent' }, reasons: [expect.stringMatching(/^subscription silent: /)] })
      const page = await readFeed(bridge.url, bridge.clientToken)
      expect(page.body).toMatchObject({ subscription: { live: false, state: 'silent' } })

      // A delivery that does arrive (here: a signed test, as the API would send) ends the silence.
      const body = JSON.stringify({ payload: [{ type: 'WEBHOOK.TEST', id: 'probe', created_at: new Date().toISOString() }] })
      const receiver = `${bridge.url}/webhooks/upvest`
      const answer = await deliver(receiver, body, signDelivery('http://127.0.0.1:9/silent/webhooks/upvest', body, { key }))
      expect(answer.status).toBe(200)
      expect(await healthOf(bridge.url)).toMatchObject({ status: 'ok', subscription: { state: 'ok' } })
      expect((await readFeed(bridge.url, bridge.clientToken)).body).toMatchObject({ subscription: { live: true } })
    } finally {
      await bridge.close()
    }
  })

  it.each([
    ['https://bridge.example.com', 'https://bridge.example.com/webhooks/upvest'],
    ['https://bridge.example.com/', 'https://bridge.example.com/webhooks/upvest'],
    ['https://example.com/outpost/', 'https://example.com/outpost/webhooks/upvest'],
    ['https://example.com/outpost/webhooks/upvest', 'https://example.com/outpost/webhooks/upvest'],
  ])('receiver URL of %s is %s', (base, expected) => {
    expect(receiverUrl(base, '/webhooks/upvest')).toBe(expected)
  })
})
