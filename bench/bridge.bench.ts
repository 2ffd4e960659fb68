/**
 * Bridge throughput on this machine, loopback only: ingest of signed deliveries of 1 and
 * of 100 events (verified, validated, stored durably), feed read rate, and wake-up latency
 * of 200 parked long-polls when a delivery lands; then the same on PostgreSQL with two
 * instances (deliveries spread over both, 1,000 long-polls split between them). Bounded by
 * count and wall time. Prints a table and writes bench/results/bridge.json.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBridge, type RunningBridge } from '../server/bridge/index'
import { readFeed, signDelivery, startSandboxWithKnownKey, userEvent, waitFor, type WebhookKey } from '../tests/integration/bridge/support'
import { postgresUnavailable, startPostgresCluster } from '../tests/support/postgres-cluster'
import { MS_PER_SECOND, percentile, runBenchmark, runWorkerPool, writeResults } from './support'

const INGEST_1_DELIVERIES = 2_000
const INGEST_100_DELIVERIES = 100
const INGEST_CONCURRENCY = 8
const MAX_SECONDS_PER_CASE = 15
const FEED_PAGE_LIMIT = 1000
const LONG_POLL_CLIENTS = 200
const WAKEUP_ROUNDS = 10
const LONG_POLL_WAIT_SECONDS = 30
const PG_LONG_POLL_CLIENTS = 1000
const PG_WAKEUP_ROUNDS = 5

interface Delivery {
  readonly body: string
  readonly headers: Record<string, string>
  readonly events: number
}

/** Signed up front, so the timed part measures the bridge and not the test's signer. */
function prepareDeliveries(bridge: RunningBridge, key: WebhookKey, count: number, eventsEach: number): Delivery[] {
  return Array.from({ length: count }, () => {
    const body = JSON.stringify({ payload: Array.from({ length: eventsEach }, () => userEvent()) })
    return { body, headers: signDelivery(bridge.receiverUrl, body, { key }), events: eventsEach }
  })
}

/** Sends the deliveries round-robin over `bridges` (one instance, or several on one database). */
async function ingest(
  bridges: RunningBridge | readonly RunningBridge[],
  deliveries: readonly Delivery[],
): Promise<{ events: number; seconds: number; perSecond: number }> {
  const targets = Array.isArray(bridges) ? bridges : [bridges as RunningBridge]
  let events = 0
  const limits = { count: deliveries.length, concurrency: INGEST_CONCURRENCY, maxSeconds: MAX_SECONDS_PER_CASE }
  const { seconds } = await runWorkerPool(limits, async (i) => {
    const delivery = deliveries[i]!
    const target = targets[i % targets.length]!
    const response = await fetch(target.receiverUrl, { method: 'POST', headers: delivery.headers, body: delivery.body })
    await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`delivery answered ${response.status}`)
    events += delivery.events
  })
  return { events, seconds, perSecond: events / seconds }
}

async function readAll(bridge: RunningBridge): Promise<{ events: number; seconds: number; perSecond: number }> {
  let after: string | undefined
  let events = 0
  const started = performance.now()
  for (;;) {
    const page = await readFeed(bridge.url, bridge.clientToken, { after, limit: FEED_PAGE_LIMIT })
    const count = page.body.events?.length ?? 0
    events += count
    after = page.body.next_cursor
    if (count === 0 || performance.now() - started > MAX_SECONDS_PER_CASE * MS_PER_SECOND) break
  }
  const seconds = (performance.now() - started) / MS_PER_SECOND
  return { events, seconds, perSecond: events / seconds }
}

async function waitingClients(bridge: RunningBridge): Promise<number> {
  const health = (await (await fetch(`${bridge.url}/health`)).json()) as { waiting_clients: number }
  return health.waiting_clients
}

/**
 * Per round: park `clients` long-polls at the head, split over `bridges`, send one delivery
 * to the first, time each client's answer from the send (the others wake via the store).
 */
async function wakeups(
  bridges: RunningBridge | readonly RunningBridge[],
  key: WebhookKey,
  clients = LONG_POLL_CLIENTS,
  rounds = WAKEUP_ROUNDS,
): Promise<number[]> {
  const targets = Array.isArray(bridges) ? bridges : [bridges as RunningBridge]
  const bridge = targets[0]!
  const latencies: number[] = []
  for (let round = 0; round < rounds; round += 1) {
    const headResponse = await fetch(`${bridge.url}/events/head`, { headers: { authorization: `Bearer ${bridge.clientToken}` } })
    const { cursor } = (await headResponse.json()) as { cursor: string }
    const parked = Array.from({ length: clients }, async (_, i) => {
      const target = targets[i % targets.length]!
      const answer = await readFeed(target.url, target.clientToken, { after: cursor, wait: LONG_POLL_WAIT_SECONDS })
      const at = performance.now()
      if ((answer.body.events?.length ?? 0) !== 1) throw new Error('a long-poll ended without the event')
      return at
    })
    const allWaiting = async (): Promise<number> => (await Promise.all(targets.map(waitingClients))).reduce((a, b) => a + b, 0)
    await waitFor('all long-polls parked', async () => ((await allWaiting()) >= clients ? true : undefined), 60_000)
    const [delivery] = prepareDeliveries(bridge, key, 1, 1)
    const sentAt = performance.now()
    const response = await fetch(bridge.receiverUrl, { method: 'POST', headers: delivery!.headers, body: delivery!.body })
    if (response.status !== 200) throw new Error(`delivery answered ${response.status}`)
    for (const at of await Promise.all(parked)) latencies.push(at - sentAt)
  }
  return latencies.sort((a, b) => a - b)
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-bench-'))
  const { sandbox, webhookKey: key } = await startSandboxWithKnownKey(dir)
  const bridge = await startBridge({
    dataDir: join(dir, 'bridge'),
    apiUrl: sandbox.url,
    apiCredentials: sandbox.devClient,
    bootstrap: false,
    logLevel: 'silent',
  })
  try {
    await ingest(bridge, prepareDeliveries(bridge, key, 20, 1)) // warm-up: key cache, JIT, SQLite pages
    const single = await ingest(bridge, prepareDeliveries(bridge, key, INGEST_1_DELIVERIES, 1))
    const hundred = await ingest(bridge, prepareDeliveries(bridge, key, INGEST_100_DELIVERIES, 100))
    const feed = await readAll(bridge)
    const wake = await wakeups(bridge, key)

    const results = {
      bridge_ingest_1_events_per_s: Math.round(single.perSecond),
      bridge_ingest_100_events_per_s: Math.round(hundred.perSecond),
      bridge_feed_read_events_per_s: Math.round(feed.perSecond),
      bridge_wakeup_p50_ms: Number(percentile(wake, 50).toFixed(1)),
      bridge_wakeup_p95_ms: Number(percentile(wake, 95).toFixed(1)),
    }
    console.table([
      {
        case: 'ingest, deliveries of 1 event',
        events: single.events,
        seconds: single.seconds.toFixed(2),
        'events/s': results.bridge_ingest_1_events_per_s,
      },
      {
        case: 'ingest, deliveries of 100 events',
        events: hundred.events,
        seconds: hundred.seconds.toFixed(2),
        'events/s': results.bridge_ingest_100_events_per_s,
      },
      {
        case: `feed read (pages of ${FEED_PAGE_LIMIT})`,
        events: feed.events,
        seconds: feed.seconds.toFixed(2),
        'events/s': results.bridge_feed_read_events_per_s,
      },
      {
        case: `wake-up, ${LONG_POLL_CLIENTS} long-polls x ${WAKEUP_ROUNDS} (p50 / p95 ms, from send)`,
        events: wake.length,
        seconds: '',
        'events/s': `${results.bridge_wakeup_p50_ms} / ${results.bridge_wakeup_p95_ms}`,
      },
    ])
    const pg = await postgresFigures(dir, sandbox, key)
    if (pg !== undefined) console.table(pg.rows)
    writeResults('bridge', { ...results, ...pg?.results })
  } finally {
    await bridge.close()
    await sandbox.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The PostgreSQL store with two instances on one database (a throwaway cluster). */
async function postgresFigures(
  dir: string,
  sandbox: Awaited<ReturnType<typeof startSandboxWithKnownKey>>['sandbox'],
  key: WebhookKey,
): Promise<{ results: Record<string, number>; rows: Array<Record<string, string | number>> } | undefined> {
  if (postgresUnavailable !== undefined) {
    console.log(`PostgreSQL figures skipped: ${postgresUnavailable}`)
    return undefined
  }
  const cluster = await startPostgresCluster()
  const storeUrl = await cluster.createDatabase('bench')
  const instances: RunningBridge[] = []
  try {
    for (const name of ['pg-a', 'pg-b']) {
      instances.push(
        await startBridge({
          dataDir: join(dir, name),
          storeUrl,
          apiUrl: sandbox.url,
          apiCredentials: sandbox.devClient,
          bootstrap: false,
          logLevel: 'silent',
        }),
      )
    }
    const first = instances[0]!
    await ingest(instances, prepareDeliveries(first, key, 20, 1))
    const single = await ingest(instances, prepareDeliveries(first, key, INGEST_1_DELIVERIES, 1))
    const hundred = await ingest(instances, prepareDeliveries(first, key, INGEST_100_DELIVERIES, 100))
    const wake = await wakeups(instances, key, PG_LONG_POLL_CLIENTS, PG_WAKEUP_ROUNDS)
    const results = {
      bridge_pg_ingest_1_events_per_s: Math.round(single.perSecond),
      bridge_pg_ingest_100_events_per_s: Math.round(hundred.perSecond),
      bridge_pg_wakeup_1000_p50_ms: Number(percentile(wake, 50).toFixed(1)),
      bridge_pg_wakeup_1000_p95_ms: Number(percentile(wake, 95).toFixed(1)),
    }
    const rows = [
      {
        case: 'PostgreSQL, 2 instances: deliveries of 1 event',
        events: single.events,
        'events/s': results.bridge_pg_ingest_1_events_per_s,
      },
      {
        case: 'PostgreSQL, 2 instances: deliveries of 100 events',
        events: hundred.events,
        'events/s': results.bridge_pg_ingest_100_events_per_s,
      },
      {
        case: `PostgreSQL wake-up, ${PG_LONG_POLL_CLIENTS} long-polls on 2 instances x ${PG_WAKEUP_ROUNDS} (p50 / p95 ms)`,
        events: wake.length,
        'events/s': `${results.bridge_pg_wakeup_1000_p50_ms} / ${results.bridge_pg_wakeup_1000_p95_ms}`,
      },
    ]
    return { results, rows }
  } finally {
    for (const instance of instances) await instance.close()
    await cluster.stop()
  }
}

runBenchmark(main)
