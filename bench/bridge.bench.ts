/**
 * Bridge throughput on this machine, loopback only: ingest of signed deliveries of 1 and
 * of 100 events (verified, validated, stored durably), feed read rate, and wake-up latency
 * of 200 parked long-polls when a delivery lands; then the same on PostgreSQL with two
 * instances (deliveries spread over both, 1,000 long-polls split between them). Bounded by
 * count and wall time. Prints a table and writes bench/results/bridge.json.
 *
 * Each bridge runs as its own process (the CLI, as deployed), so the load generator here
 * does not share the bridge's event loop; the API delivers concurrently, and so does this
 * (INGEST_CONCURRENCY deliveries in flight). Clients use kept-alive connections from a lean
 * HTTP/1.1 client (bench/lean-http.ts), so the generator takes little of the machine's CPU;
 * its CPU per delivery is reported beside the bridge's. Deliveries are signed before the
 * clock starts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_RECEIVER_PATH } from '../server/bridge/config'
import {
  signDelivery,
  startCliBridge,
  startSandboxWithKnownKey,
  userEvent,
  waitFor,
  type CliBridge,
  type WebhookKey,
} from '../tests/integration/bridge/support'
import { postgresUnavailable, startPostgresCluster } from '../tests/support/postgres-cluster'
import { LeanPool, type LeanAnswer } from './lean-http'
import { MS_PER_SECOND, percentile, runBenchmark, runWorkerPool, writeResults } from './support'

const INGEST_1_DELIVERIES = 3_000
const INGEST_100_DELIVERIES = 150
const INGEST_CONCURRENCY = 8
const MAX_SECONDS_PER_CASE = 15
const FEED_PAGE_LIMIT = 1000
const LONG_POLL_CLIENTS = 200
const WAKEUP_ROUNDS = 10
const LONG_POLL_WAIT_SECONDS = 30
const PG_LONG_POLL_CLIENTS = 1000
const PG_WAKEUP_ROUNDS = 5

interface Bridge {
  readonly url: string
  readonly receiverUrl: string
  readonly token: string
  readonly process: CliBridge
}

interface Delivery {
  readonly body: string
  readonly headers: Record<string, string>
  readonly events: number
}

// Kept-alive connections from a lean client (bench/lean-http.ts), one per caller at a time:
// 1,000 parked long-polls hold 1,000 connections and keep them for the next round, as
// devices do. node:http's client cost about three times the CPU per answer, which on this
// shared machine was taken from the bridges and queued the wake-up answers behind each other.
const pools = new Map<string, LeanPool>()

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<LeanAnswer> {
  const { origin, pathname, search } = new URL(url)
  let pool = pools.get(origin)
  if (pool === undefined) {
    pool = new LeanPool(origin)
    pools.set(origin, pool)
  }
  return pool.request({ method: options.method, path: `${pathname}${search}`, headers: options.headers, body: options.body })
}

async function readFeed(bridge: Bridge, query: { after?: string; limit?: number; wait?: number }) {
  const params = new URLSearchParams()
  if (query.after !== undefined) params.set('after', query.after)
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  if (query.wait !== undefined) params.set('wait', String(query.wait))
  const answer = await send(`${bridge.url}/events?${params}`, { headers: { authorization: `Bearer ${bridge.token}` } })
  if (answer.status !== 200) throw new Error(`feed answered ${answer.status}: ${answer.body}`)
  return JSON.parse(answer.body) as { events: unknown[]; next_cursor: string }
}

async function startBridgeProcess(sandboxUrl: string, dataDir: string, storeUrl?: string): Promise<Bridge> {
  const args = ['--port', '0', '--api', sandboxUrl, '--data', dataDir, '--no-bootstrap', '--log-level', 'warn']
  const child = await startCliBridge(storeUrl === undefined ? args : [...args, '--store', storeUrl])
  return { url: child.url, receiverUrl: `${child.url}${DEFAULT_RECEIVER_PATH}`, token: child.token, process: child }
}

async function stopBridgeProcess(bridge: Bridge): Promise<void> {
  bridge.process.child.kill('SIGTERM')
  await bridge.process.exited
}

const CLOCK_TICKS_PER_SECOND = 100

/**
 * CPU seconds the bridge processes used so far (user + system, all threads), from /proc
 * (Linux). On a shared machine throughput follows the CPU share it gets; the CPU a delivery
 * costs does not, so it is reported beside the rates.
 */
function cpuSeconds(targets: readonly Bridge[]): number {
  return targets.reduce((sum, target) => {
    const stat = readFileSync(`/proc/${target.process.child.pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return sum + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
  }, 0)
}

/** Signed up front, so the timed part measures the bridge and not the test's signer. */
function prepareDeliveries(bridge: Bridge, key: WebhookKey, count: number, eventsEach: number): Delivery[] {
  return Array.from({ length: count }, () => {
    const body = JSON.stringify({ payload: Array.from({ length: eventsEach }, () => userEvent()) })
    return { body, headers: signDelivery(bridge.receiverUrl, body, { key }), events: eventsEach }
  })
}

/** Sends the deliveries round-robin over `targets` (one instance, or several on one database). */
async function ingest(
  targets: readonly Bridge[],
  deliveries: readonly Delivery[],
): Promise<{ events: number; seconds: number; perSecond: number; cpuMsPerDelivery: number; generatorCpuMsPerDelivery: number }> {
  let events = 0
  let sent = 0
  const cpuBefore = cpuSeconds(targets)
  const generatorBefore = process.cpuUsage()
  const limits = { count: deliveries.length, concurrency: INGEST_CONCURRENCY, maxSeconds: MAX_SECONDS_PER_CASE }
  const { seconds } = await runWorkerPool(limits, async (i) => {
    const delivery = deliveries[i]!
    const target = targets[i % targets.length]!
    const answer = await send(target.receiverUrl, { method: 'POST', headers: delivery.headers, body: delivery.body })
    if (answer.status !== 200) throw new Error(`delivery answered ${answer.status}: ${answer.body}`)
    events += delivery.events
    sent += 1
  })
  const cpuMsPerDelivery = ((cpuSeconds(targets) - cpuBefore) * MS_PER_SECOND) / sent
  const generator = process.cpuUsage(generatorBefore)
  const generatorCpuMsPerDelivery = (generator.user + generator.system) / MS_PER_SECOND / sent
  return { events, seconds, perSecond: events / seconds, cpuMsPerDelivery, generatorCpuMsPerDelivery }
}

async function readAll(bridge: Bridge): Promise<{ events: number; seconds: number; perSecond: number }> {
  let after: string | undefined
  let events = 0
  const started = performance.now()
  for (;;) {
    const page = await readFeed(bridge, { after, limit: FEED_PAGE_LIMIT })
    events += page.events.length
    after = page.next_cursor
    if (page.events.length === 0 || performance.now() - started > MAX_SECONDS_PER_CASE * MS_PER_SECOND) break
  }
  const seconds = (performance.now() - started) / MS_PER_SECOND
  return { events, seconds, perSecond: events / seconds }
}

async function waitingClients(bridge: Bridge): Promise<number> {
  return (JSON.parse((await send(`${bridge.url}/health`)).body) as { waiting_clients: number }).waiting_clients
}

/**
 * Per round: park `clients` long-polls at the head, split over `targets`, send one delivery
 * to the first, time each client's answer from the send (the others wake via the store).
 * Also the bridges' CPU per woken client, from the send until the last answer arrived.
 */
async function wakeups(
  targets: readonly Bridge[],
  key: WebhookKey,
  clients: number,
  rounds: number,
): Promise<{ latencies: number[]; cpuUsPerClient: number }> {
  const bridge = targets[0]!
  const latencies: number[] = []
  let cpu = 0
  for (let round = 0; round < rounds; round += 1) {
    const head = await send(`${bridge.url}/events/head`, { headers: { authorization: `Bearer ${bridge.token}` } })
    const { cursor } = JSON.parse(head.body) as { cursor: string }
    const parked = Array.from({ length: clients }, async (_, i) => {
      const page = await readFeed(targets[i % targets.length]!, { after: cursor, wait: LONG_POLL_WAIT_SECONDS })
      const at = performance.now()
      if (page.events.length !== 1) throw new Error('a long-poll ended without the event')
      return at
    })
    const allWaiting = async (): Promise<number> => (await Promise.all(targets.map(waitingClients))).reduce((a, b) => a + b, 0)
    await waitFor('all long-polls parked', async () => ((await allWaiting()) >= clients ? true : undefined), 60_000)
    const [delivery] = prepareDeliveries(bridge, key, 1, 1)
    const cpuBefore = cpuSeconds(targets)
    const sentAt = performance.now()
    const answer = await send(bridge.receiverUrl, { method: 'POST', headers: delivery!.headers, body: delivery!.body })
    if (answer.status !== 200) throw new Error(`delivery answered ${answer.status}`)
    for (const at of await Promise.all(parked)) latencies.push(at - sentAt)
    cpu += cpuSeconds(targets) - cpuBefore
  }
  const MICROSECONDS_PER_SECOND = 1_000_000
  return { latencies: latencies.sort((a, b) => a - b), cpuUsPerClient: (cpu * MICROSECONDS_PER_SECOND) / (clients * rounds) }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-bench-'))
  const { sandbox, webhookKey: key } = await startSandboxWithKnownKey(dir)
  const bridge = await startBridgeProcess(sandbox.url, join(dir, 'bridge'))
  try {
    await ingest([bridge], prepareDeliveries(bridge, key, 50, 1)) // warm-up: key cache, JIT, SQLite pages
    const single = await ingest([bridge], prepareDeliveries(bridge, key, INGEST_1_DELIVERIES, 1))
    const hundred = await ingest([bridge], prepareDeliveries(bridge, key, INGEST_100_DELIVERIES, 100))
    const feed = await readAll(bridge)
    const wake = await wakeups([bridge], key, LONG_POLL_CLIENTS, WAKEUP_ROUNDS)

    const results = {
      bridge_ingest_1_events_per_s: Math.round(single.perSecond),
      bridge_ingest_100_events_per_s: Math.round(hundred.perSecond),
      bridge_ingest_1_cpu_ms_per_delivery: Number(single.cpuMsPerDelivery.toFixed(2)),
      bridge_ingest_1_generator_cpu_ms_per_delivery: Number(single.generatorCpuMsPerDelivery.toFixed(2)),
      bridge_feed_read_events_per_s: Math.round(feed.perSecond),
      bridge_wakeup_p50_ms: Number(percentile(wake.latencies, 50).toFixed(1)),
      bridge_wakeup_p95_ms: Number(percentile(wake.latencies, 95).toFixed(1)),
      bridge_wakeup_cpu_us_per_client: Math.round(wake.cpuUsPerClient),
    }
    console.table([
      {
        case: 'ingest, deliveries of 1 event',
        events: single.events,
        seconds: single.seconds.toFixed(2),
        'events/s': `${results.bridge_ingest_1_events_per_s} (bridge CPU ${results.bridge_ingest_1_cpu_ms_per_delivery} ms/delivery, generator ${results.bridge_ingest_1_generator_cpu_ms_per_delivery})`,
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
        events: wake.latencies.length,
        seconds: '',
        'events/s': `${results.bridge_wakeup_p50_ms} / ${results.bridge_wakeup_p95_ms} (bridge CPU ${results.bridge_wakeup_cpu_us_per_client} µs/client)`,
      },
    ])
    await stopBridgeProcess(bridge)
    const pg = await postgresFigures(dir, sandbox.url, key)
    if (pg !== undefined) console.table(pg.rows)
    writeResults('bridge', { ...results, ...pg?.results })
  } finally {
    await stopBridgeProcess(bridge)
    for (const pool of pools.values()) pool.close()
    await sandbox.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The PostgreSQL store with two instances on one database (a throwaway cluster). */
async function postgresFigures(
  dir: string,
  sandboxUrl: string,
  key: WebhookKey,
): Promise<{ results: Record<string, number>; rows: Array<Record<string, string | number>> } | undefined> {
  if (postgresUnavailable !== undefined) {
    console.log(`PostgreSQL figures skipped: ${postgresUnavailable}`)
    return undefined
  }
  const cluster = await startPostgresCluster()
  const storeUrl = await cluster.createDatabase('bench')
  const instances: Bridge[] = []
  try {
    for (const name of ['pg-a', 'pg-b']) instances.push(await startBridgeProcess(sandboxUrl, join(dir, name), storeUrl))
    const first = instances[0]!
    await ingest(instances, prepareDeliveries(first, key, 50, 1))
    const single = await ingest(instances, prepareDeliveries(first, key, INGEST_1_DELIVERIES, 1))
    const hundred = await ingest(instances, prepareDeliveries(first, key, INGEST_100_DELIVERIES, 100))
    const wake = await wakeups(instances, key, PG_LONG_POLL_CLIENTS, PG_WAKEUP_ROUNDS)
    const results = {
      bridge_pg_ingest_1_events_per_s: Math.round(single.perSecond),
      bridge_pg_ingest_100_events_per_s: Math.round(hundred.perSecond),
      bridge_pg_ingest_1_cpu_ms_per_delivery: Number(single.cpuMsPerDelivery.toFixed(2)),
      bridge_pg_ingest_1_generator_cpu_ms_per_delivery: Number(single.generatorCpuMsPerDelivery.toFixed(2)),
      bridge_pg_wakeup_1000_p50_ms: Number(percentile(wake.latencies, 50).toFixed(1)),
      bridge_pg_wakeup_1000_p95_ms: Number(percentile(wake.latencies, 95).toFixed(1)),
      bridge_pg_wakeup_cpu_us_per_client: Math.round(wake.cpuUsPerClient),
    }
    const rows = [
      {
        case: 'PostgreSQL, 2 instances: deliveries of 1 event',
        events: single.events,
        'events/s': `${results.bridge_pg_ingest_1_events_per_s} (bridges' CPU ${results.bridge_pg_ingest_1_cpu_ms_per_delivery} ms/delivery, generator ${results.bridge_pg_ingest_1_generator_cpu_ms_per_delivery})`,
      },
      {
        case: 'PostgreSQL, 2 instances: deliveries of 100 events',
        events: hundred.events,
        'events/s': results.bridge_pg_ingest_100_events_per_s,
      },
      {
        case: `PostgreSQL wake-up, ${PG_LONG_POLL_CLIENTS} long-polls on 2 instances x ${PG_WAKEUP_ROUNDS} (p50 / p95 ms)`,
        events: wake.latencies.length,
        'events/s': `${results.bridge_pg_wakeup_1000_p50_ms} / ${results.bridge_pg_wakeup_1000_p95_ms} (bridges' CPU ${results.bridge_pg_wakeup_cpu_us_per_client} µs/client)`,
      },
    ]
    return { results, rows }
  } finally {
    for (const instance of instances) await stopBridgeProcess(instance)
    await cluster.stop()
  }
}

runBenchmark(main)
