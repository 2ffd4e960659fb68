import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../../server/sandbox/index'
import { deliverSigned, readFeed, startCliBridge, startSandboxWithKnownKey, userEvent, type CliBridge, type WebhookKey } from './support'

describe('bridge durability (CLI process killed with SIGKILL)', () => {
  let dir: string
  let sandbox: Sandbox
  let key: WebhookKey
  const running: CliBridge[] = []

  const start = async (): Promise<CliBridge> => {
    const bridge = await startCliBridge([
      '--port',
      '0',
      '--api',
      sandbox.url,
      '--data',
      join(dir, 'bridge'),
      '--no-bootstrap',
      '--log-level',
      'warn',
    ])
    running.push(bridge)
    return bridge
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-kill-'))
    ;({ sandbox, webhookKey: key } = await startSandboxWithKnownKey(dir))
  })
  afterAll(async () => {
    for (const bridge of running) {
      if (bridge.child.exitCode === null && bridge.child.signalCode === null) bridge.child.kill('SIGKILL')
      await bridge.exited
    }
    await sandbox?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  // Two CLI starts (tsx compiles on start) on a loaded 2-core machine: allow well beyond the usual few seconds.
  it('keeps every acknowledged event across a SIGKILL, with the same token and continuing cursors', { timeout: 120_000 }, async () => {
    const first = await start()
    const before = [userEvent(), userEvent()]
    expect((await deliverSigned(`${first.url}/webhooks/upvest`, before, key)).status).toBe(200)
    const read = await readFeed(first.url, first.token)
    expect(read.body.events?.map((e) => e.id)).toEqual(before.map((e) => e.id))
    const cursor = read.body.next_cursor!

    const after = [userEvent(), userEvent(), userEvent()]
    const acknowledged = await deliverSigned(`${first.url}/webhooks/upvest`, after, key)
    first.child.kill('SIGKILL') // the moment the 200 is in: no graceful shutdown, no flush
    expect(acknowledged.status).toBe(200)
    expect(await first.exited).toBe('SIGKILL')

    const second = await start()
    expect(second.token).toBe(first.token)
    const resumed = await readFeed(second.url, second.token, { after: cursor })
    expect(resumed.status).toBe(200)
    expect(resumed.body.events?.map((e) => e.id)).toEqual(after.map((e) => e.id))
    const all = await readFeed(second.url, second.token)
    expect(all.body.events?.map((e) => e.id)).toEqual([...before, ...after].map((e) => e.id))
    const health = (await (await fetch(`${second.url}/health`)).json()) as { storage: { events: number }; last_delivery_at: string | null }
    expect(health.storage.events).toBe(5)
    expect(health.last_delivery_at).not.toBeNull()
    // A redelivery after the restart is still recognised as a duplicate.
    expect((await deliverSigned(`${second.url}/webhooks/upvest`, after, key)).json).toMatchObject({ stored: 0, duplicates: 3 })
  })
})
