/**
 * Sync benchmarks in Chromium (playwright-core, system Chromium, headless, an on-disk
 * profile), the page served by the web host so API calls take the browser app's own path
 * (POST /ipc/<method> to main's handlers, then the simulator): the first full reconcile of
 * 100,000 simulator users into IndexedDB (users/s, the ratio to plain IndexedDB puts of the
 * same rows into a primary-key-only store in the same browser: the storage floor, and on Linux
 * the CPU its Chromium processes spent per second of it), the next reconcile after 100 users changed (its list requests),
 * an outbox drain of 1,000 creates for 1,000 users at 20 ms simulated latency against a
 * one-at-a-time drain and against the latency-bound ideal (entries / lanes x latency), and a
 * drain of 1,000 creates against the real simulator with its rate limit at 300 requests/s (how
 * many 429s the client caused), and the drain's storage floor (the same IndexedDB requests
 * alone, without network or engine: no drain can be faster). Writes bench/results/sync.json. Run: `npm run bench -- sync`;
 * `SYNC_BENCH_PARTS=drain` measures the drains only (no 100k reconcile).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import type { ApiResult } from '../shared/api-result'
import { clientConfigForDemo, createApiClient } from '../shared/node/api'
import { startSandbox } from '../server/sandbox'
import { startWebHost } from '../electron/webhost'
import { CHROMIUM_ARGS, chromiumChoice, describeChromium } from '../tests/support/chromium'
import { createSandboxAdmin } from '../tests/support/sandbox-admin'
import { chromiumCpuSeconds, cpuSpent } from './chromium-cpu'
import { runBenchmark, writeResults } from './support'

const USERS = Number(process.env.SYNC_BENCH_USERS ?? 100_000)
const DRAIN_ENTRIES = 1_000
const DRAIN_LATENCY_MS = 20
const DRAIN_LANES = 16
/** Users changed on the server between the first reconcile and the next. */
const CHANGED_USERS = 100
/** The provider's documented sandbox limit per client id. */
const SIMULATOR_RATE_LIMIT = 300
const PARTS = new Set((process.env.SYNC_BENCH_PARTS ?? 'reconcile,drain').split(','))
const here = dirname(fileURLToPath(import.meta.url))

interface Timed {
  readonly ms: number
}

async function main(): Promise<void> {
  const bundle = await build({
    entryPoints: [join(here, 'sync-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  })
  // The page is served by the real web host (main's handlers on loopback), as the browser app
  // is: its API calls take the app's own path, the web transport's POST /ipc/<method>.
  const pageDir = mkdtempSync(join(tmpdir(), 'outpost-sync-bench-page-'))
  writeFileSync(join(pageDir, 'bench.js'), bundle.outputFiles[0]!.text)
  writeFileSync(join(pageDir, 'index.html'), '<!doctype html><script src="/bench.js"></script>')

  const seed = PARTS.has('reconcile') ? USERS : 0
  console.log(`seeding the simulator with ${seed} users ...`)
  const sandbox = await startSandbox({ seed })
  const api = createApiClient({ ...clientConfigForDemo(sandbox.url, sandbox.devClient), timeoutMs: 60_000 })
  const client = sandbox.devClient
  const host = await startWebHost({
    rendererDir: pageDir,
    apiTimeoutMs: 60_000,
    config: {
      settings: {
        apiBaseUrl: sandbox.url,
        clientId: client.clientId,
        keyId: client.keyId,
        scopes: ['users:read', 'users:admin'],
        startMinimized: false,
        closeToTray: true,
      },
      secrets: { clientSecret: client.clientSecret, privateKeyPem: client.privateKeyPem },
    },
  })
  const limited = await startSandbox({ seed: 0, rateLimitPerSecond: SIMULATOR_RATE_LIMIT })
  const limitedApi = createApiClient({ ...clientConfigForDemo(limited.url, limited.devClient), timeoutMs: 60_000 })
  let tooMany = 0
  const counted = <T>(result: ApiResult<T>) => {
    if (!result.ok && result.error.kind === 'transient' && result.error.reason === 'rate_limited') tooMany += 1
    return JSON.stringify(result)
  }
  console.log(describeChromium(chromiumChoice()))
  // An on-disk profile: IndexedDB writes as the app's do (a default context keeps them in memory).
  const profile = mkdtempSync(join(tmpdir(), 'outpost-sync-bench-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumChoice().path,
    args: CHROMIUM_ARGS,
    headless: true,
  })
  try {
    const page = await context.newPage()
    await page.exposeFunction('benchCreateUser', async ({ body, idempotencyKey }: { body: never; idempotencyKey: string }) =>
      counted(await limitedApi.createUser(body, idempotencyKey)),
    )
    await page.exposeFunction('benchGetUser', async ({ userId }: { userId: string }) => counted(await limitedApi.getUser(userId)))
    await page.goto(host.url)
    const call = <T>(fn: string, ...args: unknown[]) =>
      page.evaluate(
        ({ fn, args }) =>
          (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>).syncBench![fn]!(...args),
        { fn, args },
      ) as Promise<T>

    const figures: Record<string, number> = {}
    const rows: { figure: string; value: number; goal: string }[] = []
    const report = (key: string, figure: string, value: number, goal = '') => {
      figures[key] = value
      rows.push({ figure, value, goal })
    }

    if (PARTS.has('reconcile')) {
      console.log('reconcile (engine, end to end) ...')
      const cpuBefore = chromiumCpuSeconds(profile)
      const reconcile = await call<Timed & { users: number }>('reconcile')
      const reconcileCpu = cpuSpent(cpuBefore, chromiumCpuSeconds(profile))
      console.log(`${CHANGED_USERS} users change on the server; the next reconcile ...`)
      const admin = createSandboxAdmin(sandbox.url)
      const listed = await api.listUsers({ sort: 'created_at', order: 'ASC', offset: 0, limit: 1000 })
      if (!listed.ok) throw new Error('list failed')
      // The back office changes only users not offboarded.
      const changeable = listed.value.data.filter((user) => user.status === 'ACTIVE' || user.status === 'INACTIVE').slice(0, CHANGED_USERS)
      if (changeable.length < CHANGED_USERS) throw new Error('too few users to change')
      for (const [i, user] of changeable.entries()) await admin.backOfficeChange(user.id, { email: `changed-${i}@example.com` })
      const incremental = await call<Timed & { requests: number; kind: string; fetched: number }>('incremental')
      if (incremental.kind !== 'changes') throw new Error(`the next reconcile was a ${incremental.kind} one`)
      console.log('plain IndexedDB puts of the same rows into a primary-key-only store ...')
      const bulk = await call<Timed & { users: number; fetchMs: number }>('storageFloor')
      if (reconcile.users !== USERS || bulk.users !== USERS)
        throw new Error(`expected ${USERS} rows, got ${reconcile.users} / ${bulk.users}`)
      const reconcilePerS = (USERS / reconcile.ms) * 1000
      const floorPerS = (USERS / bulk.ms) * 1000
      report('reconcile_users_per_s', 'first reconcile (users/s, end to end)', Math.round(reconcilePerS))
      report('storage_floor_users_per_s', 'storage floor: plain puts, primary key only (users/s)', Math.round(floorPerS))
      report('list_fetch_users_per_s', 'GET /users alone, through the host (users/s)', Math.round((USERS / bulk.fetchMs) * 1000))
      report('reconcile_vs_storage_floor', 'reconcile / storage floor', Number((reconcilePerS / floorPerS).toFixed(3)), '>= 0.7')
      report('reconcile_incremental_requests', `next reconcile, ${CHANGED_USERS} users changed (requests)`, incremental.requests, '<= 2')
      report('reconcile_incremental_ms', 'that reconcile (ms)', Math.round(incremental.ms))
      // Which process bounds the reconcile: CPU seconds per second of it (1 = one core busy throughout).
      for (const [type, key] of [
        ['browser', 'reconcile_browser_process_cores'],
        ['renderer', 'reconcile_renderer_process_cores'],
      ] as const) {
        const seconds = reconcileCpu?.[type]
        if (seconds !== undefined)
          report(key, `first reconcile: Chromium ${type} process CPU per second`, Number(((seconds * 1000) / reconcile.ms).toFixed(2)))
      }
      figures.reconcile_users = USERS
    }

    if (PARTS.has('drain')) {
      console.log('drain, 16 lanes (entries marked ahead of their slot) ...')
      const concurrent = await call<Timed & { created: number }>('drain', DRAIN_ENTRIES, DRAIN_LATENCY_MS, DRAIN_LANES, DRAIN_LANES)
      console.log('drain, one at a time (each entry marked, sent and committed before the next) ...')
      const serial = await call<Timed & { created: number }>('drain', DRAIN_ENTRIES, DRAIN_LATENCY_MS, 1, 0)
      // For comparison: one lane, but the next entry marked while the current one is in the air.
      console.log('drain, one lane with one entry marked ahead ...')
      const oneLane = await call<Timed & { created: number }>('drain', DRAIN_ENTRIES, DRAIN_LATENCY_MS, 1, 1)
      console.log('the same IndexedDB requests alone, 16 entries per transaction (the storage floor) ...')
      const floor = await call<Timed & { created: number }>('drainStorageFloor', DRAIN_ENTRIES, DRAIN_LANES)
      if ([concurrent, serial, oneLane, floor].some((d) => d.created !== DRAIN_ENTRIES)) throw new Error('drain did not create every user')
      const idealMs = (DRAIN_ENTRIES / DRAIN_LANES) * DRAIN_LATENCY_MS
      report('drain_concurrent_ms', `drain ${DRAIN_ENTRIES} creates, ${DRAIN_LANES} lanes (ms)`, Math.round(concurrent.ms))
      report('drain_serial_ms', `drain ${DRAIN_ENTRIES} creates, one at a time (ms)`, Math.round(serial.ms))
      report('drain_speedup', 'drain speedup', Number((serial.ms / concurrent.ms).toFixed(2)), '>= 8')
      report('drain_ideal_ms', `latency-bound ideal: ${DRAIN_ENTRIES} / ${DRAIN_LANES} lanes x ${DRAIN_LATENCY_MS} ms`, Math.round(idealMs))
      report('drain_vs_ideal', 'drain: ideal / measured', Number((idealMs / concurrent.ms).toFixed(3)), '>= 0.9')
      // No drain beats its own storage work: the ideal it can reach here is the slower of the two.
      report(
        'drain_storage_floor_ms',
        `its IndexedDB requests alone, no network, ${DRAIN_LANES} entries per transaction (ms)`,
        Math.round(floor.ms),
      )
      report(
        'drain_vs_storage_floor',
        'drain: max(ideal, storage floor) / measured',
        Number((Math.max(idealMs, floor.ms) / concurrent.ms).toFixed(3)),
      )
      report('drain_one_lane_marked_ahead_ms', `drain ${DRAIN_ENTRIES} creates, one lane, marked ahead (ms)`, Math.round(oneLane.ms))
      report('drain_speedup_vs_one_lane_marked_ahead', 'drain speedup vs that lane', Number((oneLane.ms / concurrent.ms).toFixed(2)))

      console.log(`drain against the simulator limited to ${SIMULATOR_RATE_LIMIT} requests/s, default client cap ...`)
      tooMany = 0
      const capped = await call<Timed & { left: number }>('drainSimulator', DRAIN_ENTRIES, null)
      const cappedTooMany = tooMany
      // The same without the client-wide cap: only the back-off after a 429 (AIMD, Retry-After) holds the rate.
      console.log('the same drain without the client-wide cap ...')
      tooMany = 0
      const uncapped = await call<Timed & { left: number }>('drainSimulator', DRAIN_ENTRIES, Number.POSITIVE_INFINITY)
      if (capped.left !== 0 || uncapped.left !== 0) throw new Error('a simulator drain left entries behind')
      report('drain_429_count', `429s in a drain of ${DRAIN_ENTRIES} creates at ${SIMULATOR_RATE_LIMIT}/s, default cap`, cappedTooMany, '0')
      report('drain_429_ms', 'that drain (ms)', Math.round(capped.ms))
      report('drain_429_count_uncapped', 'the same without the client-wide cap: 429s', tooMany)
      report('drain_429_uncapped_ms', 'that drain (ms)', Math.round(uncapped.ms))
    }

    console.table(rows)
    writeResults('sync', figures)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    await host.close()
    await sandbox.close()
    await limited.close()
    rmSync(pageDir, { recursive: true, force: true })
  }
}

runBenchmark(main)
