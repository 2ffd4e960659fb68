/**
 * What the benchmarks share: percentiles, a pool of concurrent workers bounded by count and
 * wall time, writing a benchmark's figures to bench/results/<name>.json (merged by `npm run
 * bench`), and the exit code. What is measured, and how, stays in each *.bench.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const MS_PER_SECOND = 1000

/** The p-th percentile of samples sorted ascending (0 when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0
}

export interface WorkerPoolLimits {
  /** Tasks numbered 0 to count - 1, handed out in order. */
  readonly count: number
  readonly concurrency: number
  /** No task is started after this; the ones running are finished. */
  readonly maxSeconds: number
}

/** Runs `task(i)` on `concurrency` workers until every task ran or time is up; resolves with the wall time taken. */
export async function runWorkerPool(limits: WorkerPoolLimits, task: (i: number) => Promise<void>): Promise<{ seconds: number }> {
  let next = 0
  const started = performance.now()
  const deadline = started + limits.maxSeconds * MS_PER_SECOND
  const worker = async (): Promise<void> => {
    while (next < limits.count && performance.now() < deadline) {
      const i = next
      next += 1
      await task(i)
    }
  }
  await Promise.all(Array.from({ length: limits.concurrency }, worker))
  return { seconds: (performance.now() - started) / MS_PER_SECOND }
}

/** Writes bench/results/<name>.json, where `npm run bench` collects every benchmark's figures. */
export function writeResults(name: string, figures: Readonly<Record<string, number>>): void {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', `${name}.json`)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`)
  console.log(`wrote ${out}`)
}

/** Runs a benchmark's main; a failure is printed and ends the process with 1, so `npm run bench` reports it. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
