/**
 * The list with 100,000 users: the first reconcile fills it (with a progress bar), only
 * the visible rows are in the DOM while scrolling, and search as you type stays quick.
 */
import { expect, test } from '@playwright/test'
import { OutpostApp } from '../support/outpost-app'
import { LARGE_SEED, readStacks, type StackInfo } from '../support/stacks'

/** The first reconcile of 100,000 users over loopback takes a few minutes on a busy 2-core box. */
const RECONCILE_TIMEOUT_MS = 8 * 60_000
/** Far more than one screen of rows, far fewer than the table. */
const MAX_DOM_ROWS = 80

// A trace would record every 1,000-user page the reconcile fetches: far too heavy here.
test.use({ trace: 'off' })

let large: StackInfo
test.beforeAll(() => {
  large = readStacks().large
})

test('100,000 users: reconcile, scroll and search stay responsive', async ({ page }) => {
  test.setTimeout(RECONCILE_TIMEOUT_MS + 2 * 60_000)
  const app = new OutpostApp(page)
  await app.open(large.appUrl)
  await expect(page.getByTestId('reconcile')).toBeVisible()
  await expect(app.userCount).toHaveText(`${LARGE_SEED.toLocaleString('en')} users`, { timeout: RECONCILE_TIMEOUT_MS })
  await expect(page.getByTestId('reconcile')).toBeHidden()

  expect(await app.rows.count()).toBeLessThan(MAX_DOM_ROWS)
  const viewport = page.getByRole('region', { name: /^Users, / })
  await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight / 2))
  await expect(page.locator('li[aria-posinset="50001"]')).toBeVisible()
  expect(await app.rows.count()).toBeLessThan(MAX_DOM_ROWS)
  // Coming back from a user keeps the place in the list and the focus on the row opened.
  await page.locator('li[aria-posinset="50001"]').getByRole('link').click()
  const opened = page.getByRole('heading', { level: 1 })
  await expect(opened).toBeVisible()
  const openedName = (await opened.innerText()).trim()
  await page.goBack()
  const back = page.locator('main li[aria-posinset] a:focus')
  await expect(back).toHaveText(openedName)
  await expect(back).toBeInViewport()
  expect(Number(await page.locator('main li[aria-posinset]:has(a:focus)').getAttribute('aria-posinset'))).toBeGreaterThan(49_000)
  expect(await app.rows.count()).toBeLessThan(MAX_DOM_ROWS)
  await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await expect(page.locator(`li[aria-posinset="${LARGE_SEED}"]`)).toBeVisible()
  expect(await app.rows.count()).toBeLessThan(MAX_DOM_ROWS)

  const started = Date.now()
  await page.getByRole('searchbox', { name: 'Search' }).pressSequentially('müller', { delay: 50 })
  await expect(app.userCount).toHaveAttribute('data-search', 'müller')
  await expect(app.userCount).not.toHaveText(`${LARGE_SEED.toLocaleString('en')} users`)
  await expect(app.rows.first()).toContainText('Müller')
  const searchMs = Date.now() - started
  test.info().annotations.push({ type: 'search-ms', description: String(searchMs) })
  expect(await app.rows.count()).toBeLessThan(MAX_DOM_ROWS)

  await app.rows.first().getByRole('link').click()
  await expect(page.locator('dd[data-field="last_name"]')).toContainText('Müller')
})
