/**
 * Main-side latencies on this machine, loopback only: a signed API call through the client
 * (token cached), the same call through the web host's IPC route, and the time from creating
 * a user to its events reaching the renderer as a feed batch (API -> webhook -> bridge ->
 * poller). Bounded by count. Prints a table and writes bench/results/electron.json.
 */
import { randomUUID } from 'node:crypto'
import { clientConfigFrom, createApiClient } from '../shared/node/api'
import { createBridgePoller } from '../electron/services/poller/bridge-poller'
import { createMemoryCursorStore } from '../electron/services/poller/cursor-store'
import { eventUserId, type CreateUserBody } from '../shared/schemas'
import { startOutpostStack } from '../tests/support/outpost-stack'
import { percentile, writeResults } from './support'

const API_CALLS = 300
const IPC_CALLS = 300
const FEED_ROUNDS = 30
const FEED_TIMEOUT_MS = 10_000

async function timed(rounds: number, run: () => Promise<void>): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < rounds; i++) {
    const started = performance.now()
    await run()
    samples.push(performance.now() - started)
  }
  return samples.sort((a, b) => a - b)
}

const round = (value: number) => Math.round(value * 10) / 10
const body = (i: number): CreateUserBody => ({
  first_name: 'Bench',
  last_name: `User${i}`,
  birth_date: '1980-01-01',
  nationalities: ['DE'],
  address: { address_line1: 'Weg 1', postcode: '10115', city: 'Berlin', country: 'DE' },
})

const stack = await startOutpostStack({ sandbox: { seed: 50 }, webHost: { poller: { waitSeconds: 25 } } })
try {
  const api = createApiClient(clientConfigFrom(stack.config)!)
  const page = await api.listUsers({ limit: 1 })
  if (!page.ok || page.value.data[0] === undefined) throw new Error('no seeded user to read')
  const userId = page.value.data[0].id

  const apiSamples = await timed(API_CALLS, async () => {
    const result = await api.getUser(userId)
    if (!result.ok) throw new Error(result.error.message)
  })

  const host = stack.webHost!
  const ipcSamples = await timed(IPC_CALLS, async () => {
    const response = await fetch(`${host.origin}/ipc/getUser`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    })
    await response.json()
  })

  // Feed latency: a poller of our own, confirming every batch at once like the renderer does.
  let waiting: { id: string; resolve: () => void } | undefined
  const seen = new Set<string>()
  const poller = createBridgePoller({
    bridgeUrl: stack.bridge.url,
    token: stack.bridge.clientToken,
    cursorStore: createMemoryCursorStore(),
    push: (event, payload) => {
      if (event !== 'feedBatch') return
      const batch = payload as { cursor: string; events: Parameters<typeof eventUserId>[0][] }
      for (const e of batch.events) seen.add(eventUserId(e))
      if (waiting && seen.has(waiting.id)) waiting.resolve()
      void poller.confirm(batch.cursor)
    },
  })
  await poller.start()
  let i = 0
  const feedSamples = await timed(FEED_ROUNDS, async () => {
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('feed batch did not arrive')), FEED_TIMEOUT_MS)
      waiting = {
        id: '',
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
      }
    })
    const created = await api.createUser(body(i++), randomUUID())
    if (!created.ok) throw new Error(created.error.message)
    if (waiting) waiting = { ...waiting, id: created.value.id }
    // The batch may have come before the API's answer did.
    if (seen.has(created.value.id)) waiting?.resolve()
    await arrived
  })
  await poller.stop()

  const figures = {
    electron_api_get_user_p50_ms: round(percentile(apiSamples, 50)),
    electron_api_get_user_p95_ms: round(percentile(apiSamples, 95)),
    electron_webhost_ipc_get_user_p50_ms: round(percentile(ipcSamples, 50)),
    electron_webhost_ipc_get_user_p95_ms: round(percentile(ipcSamples, 95)),
    electron_create_to_feed_batch_p50_ms: round(percentile(feedSamples, 50)),
    electron_create_to_feed_batch_p95_ms: round(percentile(feedSamples, 95)),
  }
  console.table(figures)
  writeResults('electron', figures)
} finally {
  await stack.close()
}
