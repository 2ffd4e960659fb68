/**
 * Two bridge instances on one PostgreSQL database (a CLI process, and one in this process):
 * deliveries spread over both, long-polls on both (and one client switching between them),
 * the process SIGKILLed mid-ingest and restarted. Every client must see every acknowledged
 * event exactly once, in one order.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type RunningBridge } from '../../../server/bridge/index'
import { openPostgresStores } from '../../../server/bridge/storage/postgres/postgres-event-store'
import { issueDeviceToken } from '../../../server/bridge/tokens/device-token-store'
import type { Sandbox } from '../../../server/sandbox/index'
import { postgresUnavailable, startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster'
import { signDelivery, startCliBridge, startSandboxWithKnownKey, userEvent, type CliBridge, type WebhookKey } from './support'

const DELIVERIES = 60
const EVENTS_PER_DELIVERY = 5
const KILL_AFTER_ACKS = 20

if (postgresUnavailable !== undefined) console.warn(`PostgreSQL multi-instance test skipped: ${postgresUnavailable}`)

describe.skipIf(postgresUnavailable !== undefined)('two bridge instances on one PostgreSQL database', () => {
  let dir: string
  let cluster: PostgresCluster
  let sandbox: Sandbox
  let key: WebhookKey
  let storeUrl: string
  let deviceToken: string
  const running: CliBridge[] = []
  const inProcess: RunningBridge[] = []

  const startInstance = async (name: string): Promise<CliBridge> => {
    const bridge = await startCliBridge([
      '--port',
      '0',
      '--api',
      sandbox.url,
      '--store',
      storeUrl,
      '--data',
      join(dir, name),
      '--no-bootstrap',
      '--log-level',
      'warn',
    ])
    running.push(bridge)
    return bridge
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-pg-'))
    cluster = await startPostgresCluster()
    storeUrl = await cluster.createDatabase('instances')
    ;({ sandbox, webhookKey: key } = await startSandboxWithKnownKey(dir))
    const stores = await openPostgresStores({ url: storeUrl })
    deviceToken = await issueDeviceToken(stores.deviceTokens, 'field-laptop')
    await stores.events.close()
  }, 120_000)
  afterAll(async () => {
    for (const bridge of running) if (bridge.child.exitCode === null && bridge.child.signalCode === null) bridge.child.kill('SIGKILL')
    for (const bridge of inProcess) await bridge.close()
    await sandbox?.close()
    await cluster?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves every acknowledged event once, in one order, across instances and a SIGKILL', { timeout: 240_000 }, async () => {
    let a = await startInstance('a')
    // The second instance in this process (a process start costs seconds on a busy machine); A is the one killed.
    const b = await startBridge({
      port: 0,
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      storeUrl,
      dataDir: join(dir, 'b'),
      bootstrap: false,
      logLevel: 'silent',
    })
    inProcess.push(b)
    const urlA = (): string => a.url

    // Long-pollers: one on each instance, one switching between them on every request.
    let stop = false
    const poll = async (pickUrl: (round: number) => string): Promise<string[]> => {
      const seen: string[] = []
      let after: string | undefined
      for (let round = 0; !stop; round += 1) {
        const params = new URLSearchParams({ wait: '2', limit: '50', ...(after === undefined ? {} : { after }) })
        try {
          const response = await fetch(`${pickUrl(round)}/events?${params}`, { headers: { authorization: `Bearer ${deviceToken}` } })
          if (response.status !== 200) throw new Error(`feed answered ${response.status}: ${await response.text()}`)
          const page = (await response.json()) as { events: Array<{ id: string }>; next_cursor: string }
          seen.push(...page.events.map((e) => e.id))
          after = page.next_cursor
        } catch (error) {
          // The killed instance: wait for its replacement, like the app's poller backs off.
          if (error instanceof Error && error.message.startsWith('feed answered')) throw error
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
      return seen
    }
    const pollers = [poll(() => urlA()), poll(() => b.url), poll((round) => (round % 2 === 0 ? urlA() : b.url))]

    // Deliveries alternate between instances; one refused by a dead instance is retried on the other (as the API retries).
    const acknowledged: string[] = []
    let killed = false
    const deliverTo = async (baseUrl: string, ids: readonly ReturnType<typeof userEvent>[]): Promise<boolean> => {
      const body = JSON.stringify({ payload: ids })
      const receiver = `${baseUrl}/webhooks/upvest`
      try {
        const response = await fetch(receiver, { method: 'POST', headers: signDelivery(receiver, body, { key }), body })
        await response.arrayBuffer()
        return response.status === 200
      } catch {
        return false
      }
    }
    let restart: Promise<void> | undefined
    const sendAll = async (worker: number): Promise<void> => {
      for (let i = worker; i < DELIVERIES; i += 4) {
        const events = Array.from({ length: EVENTS_PER_DELIVERY }, () => userEvent())
        let target = i % 2 === 0 ? urlA() : b.url
        while (!(await deliverTo(target, events))) target = target === b.url ? urlA() : b.url
        acknowledged.push(...events.map((e) => e.id))
        if (!killed && acknowledged.length >= KILL_AFTER_ACKS * EVENTS_PER_DELIVERY) {
          killed = true
          a.child.kill('SIGKILL')
          restart = (async () => {
            await a.exited
            a = await startInstance('a')
          })()
        }
      }
    }
    await Promise.all([0, 1, 2, 3].map(sendAll))
    await restart
    // One more round on the restarted instance.
    const last = Array.from({ length: EVENTS_PER_DELIVERY }, () => userEvent())
    expect(await deliverTo(urlA(), last)).toBe(true)
    acknowledged.push(...last.map((e) => e.id))

    const deadline = Date.now() + 60_000
    const results = await new Promise<string[][]>((resolve, reject) => {
      const seenAll = setInterval(() => {
        if (Date.now() > deadline) {
          clearInterval(seenAll)
          stop = true
          reject(new Error('pollers did not see every acknowledged event in time'))
        }
      }, 200)
      // Let the pollers run until the deadline or until stopped below.
      void Promise.all(pollers).then((r) => {
        clearInterval(seenAll)
        resolve(r)
      }, reject)
      setTimeout(() => {
        stop = true
      }, 8_000)
    })

    expect(killed).toBe(true)
    const [onA, onB, switching] = results
    for (const seen of results) {
      expect(new Set(seen).size).toBe(seen.length) // once
      expect(new Set(seen)).toEqual(new Set(acknowledged)) // every acknowledged event (and nothing else)
    }
    expect(onB).toEqual(onA) // one order
    expect(switching).toEqual(onA)

    // A proof document uploaded through one instance is served by the other (same database).
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300, 0x20)])
    const uploaded = await fetch(`${urlA()}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/pdf' },
      body: pdf,
    })
    expect(uploaded.status).toBe(201)
    const link = new URL(((await uploaded.json()) as { url: string }).url)
    const served = await fetch(`${b.url}${link.pathname}`)
    expect(served.status).toBe(200)
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true)
  })
})
