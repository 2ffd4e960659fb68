/**
 * Simulator throughput on this machine: signed `GET /users?limit=1000` pages and signed
 * `POST /users` creates, signatures verified. The simulator runs as its own process (the
 * CLI), as in use, so client work does not count against it. Bounded by request count and
 * wall time. Prints a table and writes bench/results/sandbox.json.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadDevClient } from '../server/sandbox/dev-client'
import { createBody } from '../tests/support/sandbox-fixture'
import { createSandboxClient, newIdempotencyKey, type SandboxClient } from '../tests/support/sandbox-client'
import { percentile, runBenchmark, runWorkerPool, writeResults } from './support'

const SEED_USERS = 20_000
const CONCURRENCY = 8
const MAX_GET_REQUESTS = 400
const MAX_POST_REQUESTS = 2_000
const MAX_SECONDS_PER_CASE = 10
const WARMUP_REQUESTS = 20
const START_TIMEOUT_MS = 60_000
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

interface CaseResult {
  readonly requests: number
  /** Simulator CPU time per request (its own process), steadier than wall time under load. */
  readonly serverCpuMs: number
  readonly seconds: number
  readonly rps: number
  readonly p50Ms: number
  readonly p95Ms: number
}

async function serverCpuMs(url: string): Promise<number> {
  const state = (await (await fetch(`${url}/__sandbox/state`, { headers: { 'content-type': 'application/json' } })).json()) as {
    process_cpu_ms?: unknown
  }
  if (typeof state.process_cpu_ms !== 'number') throw new Error('no process_cpu_ms in /__sandbox/state')
  return state.process_cpu_ms
}

async function runCase(url: string, maxRequests: number, call: (i: number) => Promise<number>): Promise<CaseResult> {
  for (let i = 0; i < WARMUP_REQUESTS; i += 1) await call(-1 - i)
  const cpuBefore = await serverCpuMs(url)
  const latencies: number[] = []
  const limits = { count: maxRequests, concurrency: CONCURRENCY, maxSeconds: MAX_SECONDS_PER_CASE }
  const { seconds } = await runWorkerPool(limits, async (i) => {
    const t0 = performance.now()
    const status = await call(i)
    if (status !== 200) throw new Error(`request ${i} answered ${status}`)
    latencies.push(performance.now() - t0)
  })
  const serverCpu = ((await serverCpuMs(url)) - cpuBefore) / Math.max(latencies.length, 1)
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    serverCpuMs: serverCpu,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
  }
}

/** Starts the CLI on a free port and resolves with its URL. */
async function startCli(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'server/sandbox/cli.ts'), '--port', '0', '--seed', String(SEED_USERS)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${output}`)), START_TIMEOUT_MS)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${output}`)))
  })
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

async function main(): Promise<void> {
  const sandbox = await startCli()
  try {
    const client: SandboxClient = createSandboxClient(sandbox.url, loadDevClient())
    await client.token()
    const pages = Math.floor(SEED_USERS / 1000)
    const get = await runCase(
      sandbox.url,
      MAX_GET_REQUESTS,
      async (i) => (await client.call('GET', `/users?limit=1000&offset=${(Math.abs(i) % pages) * 1000}`)).status,
    )
    const post = await runCase(
      sandbox.url,
      MAX_POST_REQUESTS,
      async () => (await client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })).status,
    )

    const rows = [
      { case: 'signed GET /users?limit=1000', ...get },
      { case: 'signed POST /users', ...post },
    ]
    console.table(
      rows.map((r) => ({
        case: r.case,
        requests: r.requests,
        seconds: r.seconds.toFixed(2),
        'req/s': r.rps.toFixed(1),
        'p50 ms': r.p50Ms.toFixed(1),
        'p95 ms': r.p95Ms.toFixed(1),
        'server CPU ms/req': r.serverCpuMs.toFixed(2),
      })),
    )
    const figures = {
      sandbox_get_users_1000_rps: Math.round(get.rps * 10) / 10,
      sandbox_get_users_1000_p95_ms: Math.round(get.p95Ms * 10) / 10,
      sandbox_post_users_rps: Math.round(post.rps * 10) / 10,
      sandbox_post_users_p95_ms: Math.round(post.p95Ms * 10) / 10,
      sandbox_get_users_1000_server_cpu_ms: Math.round(get.serverCpuMs * 100) / 100,
      sandbox_post_users_server_cpu_ms: Math.round(post.serverCpuMs * 100) / 100,
    }
    writeResults('sandbox', figures)
  } finally {
    await sandbox.stop()
  }
}

runBenchmark(main)
