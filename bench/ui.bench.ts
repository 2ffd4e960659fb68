/**
 * The renderer with 100,000 cached users in Chromium (an on-disk profile, through the web
 * host, against the simulator and bridge): page load to first rows, search-as-you-type
 * latency (p50 / p95 over all typed queries and p95 per query class), DOM rows while
 * scrolling, the JS heap, and the initial JS a first start loads (ui_initial_js_kb). Last, a
 * start with the saved index snapshot: first rows and the first search typed right after
 * them (ui_first_rows_with_snapshot_ms, ui_first_search_after_start_ms).
 * Needs the built renderer (`npm run build`). Prints a
 * table and writes bench/results/ui.json.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { clientConfigForDemo, createApiClient } from '../shared/node/api'
import { CHROMIUM_ARGS, chromiumChoice, describeChromium } from '../tests/support/chromium'
import { startOutpostStack } from '../tests/support/outpost-stack'
import { initialJsKb } from './initial-js'
import { percentile, runBenchmark, writeResults } from './support'

const USERS = 100_000
const RELOADS = 3
const SCROLL_STEPS = 25
const RECONCILE_TIMEOUT_MS = 10 * 60_000
const STEP_TIMEOUT_MS = 60_000
const BYTES_PER_MB = 1024 * 1024
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const RENDERER_DIR = join(ROOT, 'out', 'renderer')
/**
 * Typed one key at a time, as a person would: each prefix from two characters on is one
 * measured query (25 in all). Classes: a name prefix, a prefix that bunches up in the name
 * order ("sc": Schmidt, Schneider, Schulz), a city, the start of a user's id, and a name
 * searched with a status filter. `id` is filled in with a real user's id prefix.
 */
const SEARCH_CLASSES = [
  { name: 'prefix', term: 'müller', status: '' },
  { name: 'bunched_prefix', term: 'schmidt', status: '' },
  { name: 'city', term: 'berlin', status: '' },
  { name: 'id', term: '', status: '' },
  { name: 'with_status', term: 'anna', status: 'INACTIVE' },
] as const
const ID_PREFIX_CHARS = 7

/**
 * The bits of the page's DOM the in-page measurements use. Declared here because the
 * benchmarks compile without the DOM library; the functions run inside Chromium.
 */
interface PageElement {
  value: string
  scrollTop: number
  readonly scrollHeight: number
  readonly clientHeight: number
  readonly dataset: Record<string, string | undefined>
  dispatchEvent(event: unknown): boolean
}
interface PageWindow {
  readonly document: {
    querySelector(selector: string): PageElement | null
    querySelectorAll(selector: string): { readonly length: number }
  }
  readonly performance: { now(): number }
  requestAnimationFrame(callback: () => void): number
  readonly Event: new (type: string, init?: { bubbles: boolean }) => unknown
}

/** Longer than the index's snapshot save delay (30 s) plus the save itself. */
const SNAPSHOT_WAIT_MS = 5 * 60_000

/** Waits, inside the page, until the users index snapshot has been saved to IndexedDB. */
async function waitForSnapshot(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        interface Request<T> {
          result: T
          onsuccess: (() => void) | null
          onerror: (() => void) | null
        }
        interface Db {
          readonly objectStoreNames: { contains(name: string): boolean }
          transaction(store: string): { objectStore(name: string): { count(): Request<number> } }
          close(): void
        }
        const idb = (globalThis as unknown as { indexedDB: { open(name: string): Request<Db> } }).indexedDB
        const open = idb.open('outpost')
        open.onerror = () => resolve(false)
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains('indexSnapshots')) {
            db.close()
            resolve(false)
            return
          }
          const count = db.transaction('indexSnapshots').objectStore('indexSnapshots').count()
          count.onerror = () => resolve(false)
          count.onsuccess = () => {
            db.close()
            resolve(count.result > 0)
          }
        }
      }),
    undefined,
    { timeout: SNAPSHOT_WAIT_MS, polling: 2_000 },
  )
}

const round = (value: number) => Math.round(value * 10) / 10

/** From navigation start to the first user row in the DOM, measured by the page itself. */
async function firstRowsMs(page: Page): Promise<number> {
  await page.reload()
  await page.locator('main li[aria-posinset="1"]').waitFor({ timeout: STEP_TIMEOUT_MS })
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const w = globalThis as unknown as PageWindow
        // The row exists; the time it appeared is when the first paint with it happened.
        w.requestAnimationFrame(() => resolve(w.performance.now()))
      }),
  )
}

/** Sets the search box to `text` and waits, inside the page, until the list shows that query's rows. */
async function searchLatencyMs(page: Page, text: string): Promise<number> {
  return page.evaluate(
    (query) =>
      new Promise<number>((resolve) => {
        const w = globalThis as unknown as PageWindow
        const input = w.document.querySelector('input[type="search"]')
        const count = w.document.querySelector('[data-testid="user-count"]')
        if (input === null || count === null) throw new Error('search box or count not found')
        const started = w.performance.now()
        input.value = query
        input.dispatchEvent(new w.Event('input', { bubbles: true }))
        const check = () =>
          count.dataset.search === query.trim()
            ? w.requestAnimationFrame(() => resolve(w.performance.now() - started))
            : w.requestAnimationFrame(check)
        check()
      }),
    text,
  )
}

async function domRowsWhileScrolling(page: Page): Promise<number[]> {
  const counts: number[] = []
  for (let step = 0; step <= SCROLL_STEPS; step += 1) {
    counts.push(
      await page.evaluate(
        (fraction) =>
          new Promise<number>((resolve) => {
            const w = globalThis as unknown as PageWindow
            const viewport = w.document.querySelector('main [role="region"][tabindex="0"]')
            if (viewport === null) throw new Error('list viewport not found')
            viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) * fraction
            // Two frames: the scroll handler's frame, then the render with the new rows.
            w.requestAnimationFrame(() =>
              w.requestAnimationFrame(() => resolve(w.document.querySelectorAll('main li[aria-posinset]').length)),
            )
          }),
        step / SCROLL_STEPS,
      ),
    )
  }
  return counts
}

async function main(): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first')
  const stack = await startOutpostStack({ sandbox: { seed: USERS }, webHost: { rendererDir: RENDERER_DIR } })
  console.log(describeChromium(chromiumChoice()))
  // An on-disk profile: IndexedDB as the app has it (a default context keeps it in memory).
  const profile = mkdtempSync(join(tmpdir(), 'outpost-ui-bench-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumChoice().path,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  })
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    // tsx keeps function names with a `__name` helper that the page does not have.
    await page.addInitScript({ content: 'globalThis.__name = (fn) => fn' })
    const reconcileStarted = Date.now()
    await page.goto(stack.webHost!.url)
    await page
      .locator(`[data-testid="user-count"]`, { hasText: `${USERS.toLocaleString('en')} users` })
      .waitFor({ timeout: RECONCILE_TIMEOUT_MS })
    await page.locator('[data-testid="reconcile"]').waitFor({ state: 'detached', timeout: RECONCILE_TIMEOUT_MS })
    const reconcileSeconds = (Date.now() - reconcileStarted) / 1000

    const loads: number[] = []
    for (let i = 0; i < RELOADS; i += 1) loads.push(await firstRowsMs(page))
    await page
      .locator(`[data-testid="user-count"]`, { hasText: `${USERS.toLocaleString('en')} users` })
      .waitFor({ timeout: STEP_TIMEOUT_MS })

    const rows = await domRowsWhileScrolling(page)

    const api = createApiClient(clientConfigForDemo(stack.sandbox.url, stack.sandbox.devClient))
    const someUser = await api.listUsers({ sort: 'created_at', order: 'ASC', offset: 500, limit: 1 })
    if (!someUser.ok || someUser.value.data[0] === undefined) throw new Error('no user to search by id')
    const idPrefix = someUser.value.data[0].id.slice(0, ID_PREFIX_CHARS)
    const latencies: number[] = []
    const byClass: Record<string, number[]> = {}
    const statusSelect = page.locator('main select').first()
    for (const { name, term, status } of SEARCH_CLASSES) {
      const typed = name === 'id' ? idPrefix : term
      if (status !== '') await statusSelect.selectOption(status)
      const samples: number[] = (byClass[name] = [])
      // The list searches from two characters on (MIN_SEARCH_CHARS); shorter input shows everyone.
      for (let length = 2; length <= typed.length; length += 1) samples.push(await searchLatencyMs(page, typed.slice(0, length)))
      latencies.push(...samples)
      await searchLatencyMs(page, '')
      if (status !== '') await statusSelect.selectOption('')
    }

    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('Performance.enable')
    const { metrics } = await cdp.send('Performance.getMetrics')
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0

    // A start with the saved index: rows and a search before the index is rebuilt.
    await waitForSnapshot(page)
    const firstRowsWithSnapshot = await firstRowsMs(page)
    const firstSearchAfterStart = await searchLatencyMs(page, 'sc')

    loads.sort((a, b) => a - b)
    latencies.sort((a, b) => a - b)
    const figures = {
      ui_reconcile_100k_s: round(reconcileSeconds),
      ui_first_rows_ms: round(percentile(loads, 50)),
      ui_first_rows_with_snapshot_ms: round(firstRowsWithSnapshot),
      ui_first_search_after_start_ms: round(firstSearchAfterStart),
      ui_search_p50_ms: round(percentile(latencies, 50)),
      ui_search_p95_ms: round(percentile(latencies, 95)),
      ui_search_queries: latencies.length,
      ...Object.fromEntries(
        Object.entries(byClass).flatMap(([name, samples]) => {
          const sorted = [...samples].sort((a, b) => a - b)
          return [
            [`ui_search_${name}_p50_ms`, round(percentile(sorted, 50))],
            [`ui_search_${name}_p95_ms`, round(percentile(sorted, 95))],
          ]
        }),
      ),
      ui_dom_rows_max: Math.max(...rows),
      ui_dom_rows_mean: round(rows.reduce((a, b) => a + b, 0) / rows.length),
      ui_js_heap_mb: round(heap / BYTES_PER_MB),
      ui_initial_js_kb: initialJsKb(RENDERER_DIR),
    }
    console.table(Object.entries(figures).map(([figure, value]) => ({ figure, value })))
    writeResults('ui', figures)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    await stack.close()
  }
}

runBenchmark(main)
