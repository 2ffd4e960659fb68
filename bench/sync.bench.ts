/**
 * Sync benchmarks in Chromium (playwright-core, system Chromium, headless, an on-disk
 * profile): the first full reconcile of 100,000 simulator users into IndexedDB (users/s, and
 * the ratio to plain IndexedDB puts of the same rows into a primary-key-only store in the same
 * browser: the storage floor), the next reconcile after 100 users changed (its list requests),
 * and an outbox drain of 1,000 creates for 1,000 users at 20 ms simulated latency against a
 * one-at-a-time drain. Writes bench/results/sync.json. Run: `npm run bench -- sync`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { clientConfigForDemo, createApiClient } from '../shared/node/api'
import { startSandbox } from '../server/sandbox'
import { CHROMIUM_ARGS, chromiumChoice, describeChromium } from '../tests/support/chromium'
import { createSandboxAdmin } from '../tests/support/sandbox-admin'
import { runBenchmark, writeResults } from './support'

const USERS = Number(process.env.SYNC_BENCH_USERS ?? 100_000)
const DRAIN_ENTRIES = 1_000
const DRAIN_LATENCY_MS = 20
const DRAIN_LANES = 16
/** Users changed on the server between the first reconcile and the next. */
const CHANGED_USERS = 100
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
  const script = bundle.outputFiles[0]!.text
  const server = createServer((request, response) => {
    if (request.url === '/bench.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/bench.js"></script>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

  console.log(`seeding the simulator with ${USERS} users ...`)
  const sandbox = await startSandbox({ seed: USERS })
  const api = createApiClient({ ...clientConfigForDemo(sandbox.url, sandbox.devClient), timeoutMs: 60_000 })
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
    await page.exposeFunction('benchListUsers', async (query: never) => JSON.stringify(await api.listUsers(query)))
    await page.goto(pageUrl)
    const call = <T>(fn: string, ...args: unknown[]) =>
      page.evaluate(
        ({ fn, args }) =>
          (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>).syncBench![fn]!(...args),
        { fn, args },
      ) as Promise<T>

    console.log('reconcile (engine, end to end) ...')
    const reconcile = await call<Timed & { users: number }>('reconcile')
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
    console.log('drain, 16 lanes (entries marked ahead of their slot) ...')
    const concurrent = await call<Timed & { created: number }>('drain', DRAIN_ENTRIES, DRAIN_LATENCY_MS, DRAIN_LANES, DRAIN_LANES)
    console.log('drain, one at a time (each entry marked, sent and committed before the next) ...')
    const serial = await call<Timed & { created: number }>('drain', DRAIN_ENTRIES, DRAIN_LATENCY_MS, 1, 0)
    // For comparison: one lane, but the next entry marked while the current one is in the air.
    console.log('drain, one lane with one entry marked ahead ...')
    const oneLane = await call<Timed & { created: number }>('drain', DRAIN_ENTRIES, DRAIN_LATENCY_MS, 1, 1)

    if (reconcile.users !== USERS || bulk.users !== USERS) throw new Error(`expected ${USERS} rows, got ${reconcile.users} / ${bulk.users}`)
    if ([concurrent, serial, oneLane].some((d) => d.created !== DRAIN_ENTRIES)) throw new Error('drain did not create every user')
    const reconcilePerS = (USERS / reconcile.ms) * 1000
    const floorPerS = (USERS / bulk.ms) * 1000
    const figures = {
      reconcile_users_per_s: Math.round(reconcilePerS),
      storage_floor_users_per_s: Math.round(floorPerS),
      reconcile_vs_storage_floor: Number((reconcilePerS / floorPerS).toFixed(3)),
      reconcile_users: USERS,
      reconcile_incremental_requests: incremental.requests,
      reconcile_incremental_ms: Math.round(incremental.ms),
      list_fetch_users_per_s: Math.round((USERS / bulk.fetchMs) * 1000),
      drain_concurrent_ms: Math.round(concurrent.ms),
      drain_serial_ms: Math.round(serial.ms),
      drain_speedup: Number((serial.ms / concurrent.ms).toFixed(2)),
      drain_one_lane_marked_ahead_ms: Math.round(oneLane.ms),
      drain_speedup_vs_one_lane_marked_ahead: Number((oneLane.ms / concurrent.ms).toFixed(2)),
    }
    console.table([
      { figure: 'first reconcile (users/s, end to end)', value: figures.reconcile_users_per_s, goal: '' },
      { figure: 'storage floor: plain puts, primary key only (users/s)', value: figures.storage_floor_users_per_s, goal: '' },
      { figure: 'GET /users alone, through the host (users/s)', value: figures.list_fetch_users_per_s, goal: '' },
      { figure: 'reconcile / storage floor', value: figures.reconcile_vs_storage_floor, goal: '>= 0.7' },
      { figure: `next reconcile, ${CHANGED_USERS} users changed (requests)`, value: figures.reconcile_incremental_requests, goal: '<= 2' },
      { figure: `drain ${DRAIN_ENTRIES} creates, ${DRAIN_LANES} lanes (ms)`, value: figures.drain_concurrent_ms, goal: '' },
      { figure: `drain ${DRAIN_ENTRIES} creates, one at a time (ms)`, value: figures.drain_serial_ms, goal: '' },
      { figure: 'drain speedup', value: figures.drain_speedup, goal: '>= 8' },
      { figure: `drain ${DRAIN_ENTRIES} creates, one lane, marked ahead (ms)`, value: figures.drain_one_lane_marked_ahead_ms, goal: '' },
      { figure: 'drain speedup vs that lane', value: figures.drain_speedup_vs_one_lane_marked_ahead, goal: '' },
    ])
    writeResults('sync', figures)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    await sandbox.close()
    server.close()
  }
}

runBenchmark(main)
