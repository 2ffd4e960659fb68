/**
 * The list's search at 100,000 users in Chromium's real IndexedDB: every sort, order and
 * status, first and later pages, gives the same rows and total as filtering and sorting
 * every row plainly.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { build } from 'esbuild'

const USERS = 100_000
const ORIGIN = 'http://search-check.test'
const here = dirname(fileURLToPath(import.meta.url))

test.use({ trace: 'off' })

test('search at 100,000 users matches a plain filter and sort for every sort, order, status and page', async ({ page }) => {
  test.setTimeout(10 * 60_000)
  const bundle = await build({
    entryPoints: [join(here, '..', '..', 'support', 'sync', 'search-check-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  })
  const script = bundle.outputFiles[0]!.text
  // An http origin of its own (IndexedDB needs one), served from here.
  await page.route(`${ORIGIN}/**`, (route) =>
    route.request().url().endsWith('/check.js')
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="/check.js"></script>' }),
  )
  await page.goto(`${ORIGIN}/`)
  type Check = { fill(n: number): Promise<number>; compare(q: unknown): Promise<{ app: unknown; plain: unknown }>; someKey(): string }
  const check = <T>(fn: keyof Check, ...args: unknown[]) =>
    page.evaluate(
      ({ fn, args }) => (globalThis as unknown as { searchCheck: Record<string, (...a: unknown[]) => unknown> }).searchCheck[fn]!(...args),
      { fn, args },
    ) as Promise<T>

  expect(await check<number>('fill', USERS)).toBe(USERS)
  const someKey = await check<string>('someKey')
  const searches = [undefined, 'sc', 'schmidt', 'be', 'anna', 'berlin sch', 'mü', 'marie', someKey.slice(0, 6), 'zz']
  for (const search of searches)
    for (const sort of ['name', 'updated_at', 'created_at', 'city'] as const)
      for (const order of ['asc', 'desc'] as const)
        for (const status of [undefined, 'INACTIVE'] as const)
          for (const offset of [0, 1_230]) {
            const query = { search, sort, order, status, offset, limit: 60 }
            const { app, plain } = await check<{ app: unknown; plain: unknown }>('compare', query)
            expect({ query, ...(app as object) }).toEqual({ query, ...(plain as object) })
          }
})
