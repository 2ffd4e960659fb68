import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type RunningBridge } from '../../../server/bridge/index'
import type { Sandbox } from '../../../server/sandbox/index'
import { BridgeCursorGoneSchema } from '../../../shared/schemas'
import { deliverSigned, readFeed, startSandboxWithKnownKey, userEvent, waitFor, type WebhookKey } from './support'

describe('bridge retention: compacted cursors answer 410 Gone', () => {
  let dir: string
  let sandbox: Sandbox
  let key: WebhookKey
  let bridge: RunningBridge

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-retention-'))
    ;({ sandbox, webhookKey: key } = await startSandboxWithKnownKey(dir))
    bridge = await startBridge({
      dataDir: join(dir, 'bridge'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      bootstrap: false,
      // Keep only the newest two events, and let no recently seen cursor hold them back.
      retention: { maxEvents: 2, cursorProtectionMs: 0 },
      logLevel: 'silent',
    })
  })
  afterAll(async () => {
    await bridge?.close()
    await sandbox?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves the retained tail, 410s older cursors with the head to restart from', async () => {
    const head = await fetch(`${bridge.url}/events/head`, { headers: { authorization: `Bearer ${bridge.clientToken}` } })
    const { cursor: start } = (await head.json()) as { cursor: string }
    const events = [userEvent(), userEvent(), userEvent(), userEvent()]
    expect((await deliverSigned(bridge.receiverUrl, events, key)).status).toBe(200)

    expect(await bridge.compactNow()).toEqual({ deleted: 2, compactedThrough: 2 })

    const gone = await readFeed(bridge.url, bridge.clientToken, { after: start })
    expect(gone.status).toBe(410)
    expect(gone.contentType).toContain('application/problem+json')
    const problem = BridgeCursorGoneSchema.parse(gone.body)

    const fromHead = await readFeed(bridge.url, bridge.clientToken, { after: problem.head_cursor })
    expect(fromHead.body).toEqual({ events: [], next_cursor: problem.head_cursor, subscription: { live: true, state: 'unmanaged' } })
    const retained = await readFeed(bridge.url, bridge.clientToken)
    expect(retained.body.events?.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id))
  })

  it('answers parked long-polls at once when it closes (runs last: closes the bridge)', async () => {
    const { cursor } = (await (
      await fetch(`${bridge.url}/events/head`, { headers: { authorization: `Bearer ${bridge.clientToken}` } })
    ).json()) as {
      cursor: string
    }
    const parked = readFeed(bridge.url, bridge.clientToken, { after: cursor, wait: 25 })
    await waitFor('the long-poll to be parked', async () => {
      const health = (await (await fetch(`${bridge.url}/health`)).json()) as { waiting_clients: number }
      return health.waiting_clients >= 1 ? true : undefined
    })
    const started = performance.now()
    await bridge.close()
    expect((await parked).body).toEqual({ events: [], next_cursor: cursor, subscription: { live: true, state: 'unmanaged' } })
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
