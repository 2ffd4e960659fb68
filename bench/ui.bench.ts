/**
 * The renderer with 100,000 cached users in Chromium (an on-disk profile, through the web
 * host, against the simulator and bridge). After the first reconcile and once the users index
 * is saved as current (the everyday start): page load to first rows, from navigation start
 * (ui_first_rows_ms) and from the app's own first line (ui_first_rows_after_app_entry_ms; the
 * difference is the browser loading the JS; the app's start marks are printed per load);
 * search-as-you-type latency until the list's DOM holds the answer (p50 / p95 over all typed
 * queries and per query class; ui_search_painted_* add the wait for the next frame); DOM rows
 * while scrolling; the JS heap; the initial JS a first start loads (ui_initial_js_kb). Last, a
 * start as after a crash with writes since the last save (the saved index serves while the
 * index is rebuilt): first rows and a search typed at once (ui_first_rows_stale_snapshot_ms,
 * ui_first_search_after_stale_start_ms). Needs the built renderer (`npm run build`). Prints a
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
/** Starts timed per run (UI_BENCH_RELOADS): more give a steadier median on a noisy machine. */
const RELOADS = Number(process.env.UI_BENCH_RELOADS ?? 3)
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
  readonly MutationObserver: new (callback: () => void) => {
    observe(target: PageElement, options: { attributes: boolean }): void
    disconnect(): void
  }
}

/** Longer than the index's snapshot save delay (30 s) plus the save itself. */
const SNAPSHOT_WAIT_MS = 5 * 60_000

/**
 * In the page: the localStorage key marking the users index snapshot as current (see
 * renderer/src/db/user-index.ts), or null. With it, a start takes the snapshot as the index.
 */
const CURRENT_MARKER_KEY = (): string | null => {
  const storage = (globalThis as unknown as { localStorage: { readonly length: number; key(i: number): string | null } }).localStorage
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i)
    if (key?.startsWith('outpost-user-index-current:') === true) return key
  }
  return null
}

/** Waits until the users index snapshot is saved and marked current, as after a quiet while of use. */
async function waitForCurrentSnapshot(page: Page): Promise<void> {
  await page.waitForFunction(CURRENT_MARKER_KEY, undefined, { timeout: SNAPSHOT_WAIT_MS, polling: 1_000 })
}

const round = (value: number) => Math.round(value * 10) / 10

/**
 * Run in the page before the app: notes when the first user row enters the DOM, and takes the
 * frame after that as the time it was shown (a main thread kept busy right after delays it).
 */
const FIRST_ROWS_WATCH = `globalThis.__firstRowsAt = new Promise((resolve) => {
  const seen = () => document.querySelector('main li[aria-posinset="1"]') !== null
  const observer = new MutationObserver(() => {
    if (!seen()) return
    observer.disconnect()
    requestAnimationFrame(() => resolve(performance.now()))
  })
  observer.observe(document, { childList: true, subtree: true })
})`

/** From navigation start to the first user row in the DOM, measured by the page itself. */
async function firstRowsMs(page: Page): Promise<{ shown: number; afterEntry: number }> {
  const current = await page.evaluate(CURRENT_MARKER_KEY)
  console.log(current !== null ? 'the saved index is current' : 'the saved index is not current: rebuilt after the first rows')
  await page.reload()
  await page.locator('main li[aria-posinset="1"]').waitFor({ timeout: STEP_TIMEOUT_MS })
  const shown = await page.evaluate(() => (globalThis as unknown as { __firstRowsAt: Promise<number> }).__firstRowsAt)
  // Where the time went: the marks the app sets along its start (renderer/src/main.ts and on).
  const marks = await page.evaluate(() =>
    (globalThis as unknown as { performance: { getEntriesByType(type: string): { name: string; startTime: number }[] } }).performance
      .getEntriesByType('mark')
      .filter((mark) => mark.name.startsWith('outpost:'))
      .map((mark) => ({ name: mark.name.slice('outpost:'.length), at: Math.round(mark.startTime) })),
  )
  console.log(`first rows at ${Math.round(shown)} ms; ${marks.map(({ name, at }) => `${name} ${at}`).join(', ')}`)
  const entry = marks.find((mark) => mark.name === 'entry')?.at ?? 0
  return { shown, afterEntry: shown - entry }
}

/** Sets the search box to `text` and waits, inside the page, until the list shows that query's rows. */
/**
 * Sets the search box to `text`; times, inside the page, until the list's DOM holds that
 * query's rows (`shown`: the app's own latency, seen by a MutationObserver) and until the
 * frame after that (`painted`: plus the wait for the display's next frame, up to 16.7 ms).
 */
async function searchLatencyMs(page: Page, text: string): Promise<{ shown: number; painted: number }> {
  return page.evaluate(
    (query) =>
      new Promise<{ shown: number; painted: number }>((resolve) => {
        const w = globalThis as unknown as PageWindow
        const input = w.document.querySelector('input[type="search"]')
        const count = w.document.querySelector('[data-testid="user-count"]')
        if (input === null || count === null) throw new Error('search box or count not found')
        const started = w.performance.now()
        const done = () => {
          const shown = w.performance.now() - started
          w.requestAnimationFrame(() => resolve({ shown, painted: w.performance.now() - started }))
        }
        const observer = new w.MutationObserver(() => {
          if (count.dataset.search !== query.trim()) return
          observer.disconnect()
          done()
        })
        observer.observe(count, { attributes: true })
        input.value = query
        input.dispatchEvent(new w.Event('input', { bubbles: true }))
        if (count.dataset.search === query.trim()) {
          observer.disconnect()
          done()
        }
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
            const viewport = w.document.querySelector('main [role="region"].viewport')
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
    await page.addInitScript({ content: FIRST_ROWS_WATCH })
    const reconcileStarted = Date.now()
    await page.goto(stack.webHost!.url)
    await page
      .locator(`[data-testid="user-count"]`, { hasText: `${USERS.toLocaleString('en')} users` })
      .waitFor({ timeout: RECONCILE_TIMEOUT_MS })
    await page.locator('[data-testid="reconcile"]').waitFor({ state: 'detached', timeout: RECONCILE_TIMEOUT_MS })
    const reconcileSeconds = (Date.now() - reconcileStarted) / 1000

    // The everyday start: the index saved since the last writes (the full reconcile saves it).
    await waitForCurrentSnapshot(page)
    const loads: number[] = []
    const loadsAfterEntry: number[] = []
    for (let i = 0; i < RELOADS; i += 1) {
      const { shown, afterEntry } = await firstRowsMs(page)
      loads.push(shown)
      loadsAfterEntry.push(afterEntry)
    }
    await page
      .locator(`[data-testid="user-count"]`, { hasText: `${USERS.toLocaleString('en')} users` })
      .waitFor({ timeout: STEP_TIMEOUT_MS })

    const rows = await domRowsWhileScrolling(page)

    const api = createApiClient(clientConfigForDemo(stack.sandbox.url, stack.sandbox.devClient))
    const someUser = await api.listUsers({ sort: 'created_at', order: 'ASC', offset: 500, limit: 1 })
    if (!someUser.ok || someUser.value.data[0] === undefined) throw new Error('no user to search by id')
    const idPrefix = someUser.value.data[0].id.slice(0, ID_PREFIX_CHARS)
    const latencies: number[] = []
    const painted: number[] = []
    const byClass: Record<string, number[]> = {}
    const statusSelect = page.locator('main select').first()
    for (const { name, term, status } of SEARCH_CLASSES) {
      const typed = name === 'id' ? idPrefix : term
      if (status !== '') await statusSelect.selectOption(status)
      const samples: number[] = (byClass[name] = [])
      // The list searches from two characters on (MIN_SEARCH_CHARS); shorter input shows everyone.
      for (let length = 2; length <= typed.length; length += 1) {
        const latency = await searchLatencyMs(page, typed.slice(0, length))
        samples.push(latency.shown)
        painted.push(latency.painted)
      }
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
    // A start after a crash with writes since the last save: the marker is gone, the saved
    // index serves while the index is rebuilt from the table; a search typed at once.
    await page.evaluate(() => {
      const storage = (
        globalThis as unknown as { localStorage: { readonly length: number; key(i: number): string | null; removeItem(key: string): void } }
      ).localStorage
      for (let i = storage.length - 1; i >= 0; i -= 1)
        if (storage.key(i)?.startsWith('outpost-user-index-current:') === true) storage.removeItem(storage.key(i)!)
    })
    const firstRowsStale = (await firstRowsMs(page)).shown
    const firstSearchAfterStaleStart = (await searchLatencyMs(page, 'sc')).shown

    loads.sort((a, b) => a - b)
    loadsAfterEntry.sort((a, b) => a - b)
    latencies.sort((a, b) => a - b)
    painted.sort((a, b) => a - b)
    const figures = {
      ui_reconcile_100k_s: round(reconcileSeconds),
      ui_first_rows_ms: round(percentile(loads, 50)),
      ui_first_rows_after_app_entry_ms: round(percentile(loadsAfterEntry, 50)),
      ui_first_rows_stale_snapshot_ms: round(firstRowsStale),
      ui_first_search_after_stale_start_ms: round(firstSearchAfterStaleStart),
      ui_search_p50_ms: round(percentile(latencies, 50)),
      ui_search_p95_ms: round(percentile(latencies, 95)),
      ui_search_painted_p50_ms: round(percentile(painted, 50)),
      ui_search_painted_p95_ms: round(percentile(painted, 95)),
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
