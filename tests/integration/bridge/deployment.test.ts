import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type RunningBridge } from '../../../server/bridge/index'
import type { Sandbox } from '../../../server/sandbox/index'
import { deliver, deliverSigned, readFeed, signDelivery, startSandboxWithKnownKey, userEvent, type WebhookKey } from './support'

/** Public URL of a bridge behind a TLS proxy that strips the `/outpost` prefix. */
const PUBLIC_URL = 'https://bridge.example.com/outpost'

describe('bridge as deployed: structured logs without secrets, behind a path-prefixing proxy', () => {
  let dir: string
  let sandbox: Sandbox
  let key: WebhookKey
  let bridge: RunningBridge
  const lines: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-deploy-'))
    ;({ sandbox, webhookKey: key } = await startSandboxWithKnownKey(dir))
    bridge = await startBridge({
      dataDir: join(dir, 'bridge'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      publicUrl: PUBLIC_URL,
      bootstrap: false,
      logLevel: 'info',
      logSink: { write: (line) => lines.push(line) },
    })
  })
  afterAll(async () => {
    await bridge?.close()
    await sandbox?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('verifies `@path` as the API signed it: the public path, not the proxied one', async () => {
    const event = userEvent()
    const body = JSON.stringify({ payload: [event] })
    const publicHeaders = signDelivery(`${PUBLIC_URL}/webhooks/upvest`, body, { key })
    expect((await deliver(bridge.receiverUrl, body, publicHeaders)).status).toBe(200)
    const localHeaders = signDelivery(bridge.receiverUrl, body, { key })
    expect(await deliver(bridge.receiverUrl, body, localHeaders)).toMatchObject({
      status: 401,
      json: { type: 'urn:outpost:bridge:bad_signature' },
    })
    expect((await readFeed(bridge.url, bridge.clientToken)).body.events?.map((e) => e.id)).toEqual([event.id])
  })

  it('logs JSON lines that name what happened and leak no token, secret or signature', async () => {
    const body = JSON.stringify({ payload: [userEvent()] })
    const headers = signDelivery(`${PUBLIC_URL}/webhooks/upvest`, body, { key })
    await deliver(bridge.receiverUrl, body, headers)
    await deliverSigned(bridge.receiverUrl, [userEvent()], key) // wrong @path: rejected, logged
    await readFeed(bridge.url, bridge.clientToken)
    await readFeed(bridge.url, 'a-wrong-token-that-must-not-be-logged')

    const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string })
    expect(entries.length).toBeGreaterThan(0)
    expect(entries.map((e) => e.msg)).toEqual(expect.arrayContaining(['delivery stored', 'delivery rejected: signature']))
    const text = lines.join('\n')
    for (const secret of [
      bridge.clientToken,
      'a-wrong-token-that-must-not-be-logged',
      sandbox.devClient.clientSecret,
      headers.signature!.slice(6, 40),
      'PRIVATE KEY',
    ]) {
      expect(text).not.toContain(secret)
    }
  })

  it('never logs a token sent any wrong way (query, path, other headers or schemes), and still takes a lower-case bearer', async () => {
    const token = bridge.clientToken
    const wrongWays: Array<{ path: string; headers?: Record<string, string> }> = [
      { path: `/events?token=${token}` },
      { path: `/events?access_token=${token}&limit=5` },
      { path: `/events/head?token=${token}` },
      { path: `/events?after=${token}` },
      { path: `/events/${token}` },
      { path: `/${token}` },
      { path: '/events', headers: { authorization: `Token ${token}` } },
      { path: '/events', headers: { authorization: token } },
      { path: '/events', headers: { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` } },
      { path: '/events', headers: { 'x-api-key': token } },
      { path: '/events', headers: { cookie: `token=${token}` } },
      { path: `/health?token=${token}` },
      { path: `/webhooks/upvest?token=${token}` },
    ]
    for (const { path, headers } of wrongWays) {
      const response = await fetch(`${bridge.url}${path}`, { headers })
      await response.arrayBuffer()
      if (!path.startsWith('/health')) expect(response.status, path).toBeGreaterThanOrEqual(400)
    }
    const lowerCase = await fetch(`${bridge.url}/events`, { headers: { authorization: `bearer ${token}` } })
    expect(lowerCase.status).toBe(200)
    await lowerCase.arrayBuffer()
    const text = lines.join('\n')
    expect(text).toContain('/events')
    expect(text).not.toContain(token)
    expect(text).not.toContain(Buffer.from(`x:${token}`).toString('base64'))
  })
})
