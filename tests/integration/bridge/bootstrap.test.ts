import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient, type ApiClient } from '../../../electron/services/api'
import { receiverUrl } from '../../../server/bridge/bootstrap/ensure-subscription'
import { startBridge } from '../../../server/bridge/index'
import type { Sandbox } from '../../../server/sandbox/index'
import { startSandboxWithKnownKey, waitFor } from './support'

const PUBLIC_URL = 'http://127.0.0.1:9/outpost'

describe('bridge subscription bootstrap (through the app’s API client)', () => {
  let dir: string
  let sandbox: Sandbox
  let api: ApiClient

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-bootstrap-'))
    ;({ sandbox } = await startSandboxWithKnownKey(dir))
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
        subscription: { state: string }
        verify_keys: { last_error: string | null }
      }
      expect(health.subscription.state).toBe('failed')
      expect(health.verify_keys.last_error).not.toBeNull()
    } finally {
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

  it.each([
    ['https://bridge.example.com', 'https://bridge.example.com/webhooks/upvest'],
    ['https://bridge.example.com/', 'https://bridge.example.com/webhooks/upvest'],
    ['https://example.com/outpost/', 'https://example.com/outpost/webhooks/upvest'],
    ['https://example.com/outpost/webhooks/upvest', 'https://example.com/outpost/webhooks/upvest'],
  ])('receiver URL of %s is %s', (base, expected) => {
    expect(receiverUrl(base, '/webhooks/upvest')).toBe(expected)
  })
})
