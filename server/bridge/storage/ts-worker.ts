/**
 * Starts a TypeScript module in a worker thread. The bridge always runs under tsx (CLI,
 * `npm start`, tests, benchmarks), but on Node 20 a worker does not inherit tsx's loader,
 * so the worker registers tsx itself before importing the module.
 */
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

// tsx's ESM API; `require.resolve` finds its CommonJS twin, which sits beside it.
const TSX_ESM_API = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs'),
).href

export function startTsWorker(module: URL, workerData: unknown): Worker {
  const [api, entry] = [JSON.stringify(TSX_ESM_API), JSON.stringify(module.href)]
  return new Worker(`import(${api}).then((tsx) => tsx.tsImport(${entry}, ${entry}))`, { eval: true, workerData })
}
