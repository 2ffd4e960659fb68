/**
 * The main screens in both languages: no axe violations, keyboard focus visible, and a
 * screenshot of each (artifacts/screenshots, kept by CI as an artifact; docs/screenshots with
 * OUTPOST_SCREENSHOTS=1). The list by keyboard, and the web host's run token.
 */
import { expect, test } from '@playwright/test'
import { OutpostApp } from '../support/outpost-app'
import { checkScreen } from '../support/screens'
import { readStacks, SMALL_SEED, type StackInfo } from '../support/stacks'

// Read in a hook, not at import: listing the specs must work without the global setup.
let small: StackInfo
test.beforeAll(() => {
  small = readStacks().small
})

const LANGUAGES = [
  { code: 'en', label: 'English', nav: { users: 'Users', create: 'New user', outbox: 'Outbox', settings: 'Settings' } },
  { code: 'de', label: 'Deutsch', nav: { users: 'Personen', create: 'Neue Person', outbox: 'Postausgang', settings: 'Einstellungen' } },
] as const

for (const lang of LANGUAGES) {
  test(`main screens in ${lang.label}: axe-clean, with screenshots`, async ({ page }) => {
    // Ten axe runs on a busy 2-core machine.
    test.setTimeout(240_000)
    const app = new OutpostApp(page)
    await app.open(small.appUrl)
    await app.waitForUsers(SMALL_SEED)
    await page.getByRole('combobox', { name: /Language|Sprache/ }).selectOption(lang.code)
    await expect(page.locator('html')).toHaveAttribute('lang', lang.code)

    const users = page.getByRole('navigation').getByRole('link', { name: lang.nav.users, exact: true })
    await expect(users).toBeVisible()
    await checkScreen(page, lang.code, 'users')

    await app.rows.first().getByRole('link').click()
    await expect(page.locator('dd[data-field="first_name"]')).toBeVisible()
    await checkScreen(page, lang.code, 'user-detail')

    await page.getByRole('navigation').getByRole('link', { name: lang.nav.create, exact: true }).click()
    await page
      .locator('form')
      .getByRole('button', { name: lang.code === 'en' ? 'Save' : 'Speichern', exact: true })
      .click()
    await expect(page.getByRole('alert')).toBeVisible()
    await checkScreen(page, lang.code, 'create-user-errors')

    await page.getByRole('navigation').getByRole('link', { name: lang.nav.outbox, exact: true }).click()
    // Read and shown: the empty outbox says so (a picture taken earlier showed a blank screen).
    await expect(page.locator('main p.message.ok')).toBeVisible()
    await checkScreen(page, lang.code, 'outbox')

    await page.getByRole('navigation').getByRole('link', { name: lang.nav.settings, exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: lang.nav.settings })).toBeVisible()
    await checkScreen(page, lang.code, 'settings')
  })
}

test('keyboard: skip link, navigation and focus are visible and reachable', async ({ page }) => {
  const app = new OutpostApp(page)
  await app.open(small.appUrl)
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Users', exact: true })).toBeFocused()
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)
  expect(outline).toBe('solid')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'New user' })).toBeVisible()
})

test('list: headers sort both ways, a date column for date sorts, one tab stop, arrow keys, Enter, and the row kept on return', async ({ page }) => {
  const app = new OutpostApp(page)
  await app.open(small.appUrl)
  await app.waitForUsers(SMALL_SEED)
  const names = async () => (await app.rows.getByRole('link').allInnerTexts()).map((s) => s.trim())
  const byLastName = (list: string[]) => list.map((s) => s.split(' ').slice(1).join(' ').toLowerCase())

  const nameHeader = page.getByRole('button', { name: /^Name/ })
  await expect(nameHeader).toHaveAccessibleName('Name , sorted ascending')
  const ascending = byLastName(await names())
  expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)))
  await nameHeader.click()
  await expect(nameHeader).toHaveAccessibleName('Name , sorted descending')
  await expect.poll(async () => byLastName(await names())[0]).toBe(ascending.at(-1))

  // Sorting by a date shows that date, newest first, and its header turns the order round.
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('created')
  const created = page.getByRole('button', { name: /^Created/ })
  await expect(created).toHaveAccessibleName('Created , sorted descending')
  await expect(app.rows.first().getByTestId('row-date')).toBeVisible()
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('name')
  await expect(page.getByTestId('row-date')).toHaveCount(0)

  // Keyboard only: one tab stop for the whole list.
  await page.getByRole('button', { name: /^City/ }).focus()
  await page.keyboard.press('Tab')
  const row = (n: number) => page.locator(`main li[aria-posinset="${n}"]`).getByRole('link')
  await expect(row(1)).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.locator('main li[aria-posinset] a:focus')).toHaveCount(0)
  await page.keyboard.press('Shift+Tab')
  await expect(row(1)).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(row(3)).toBeFocused()
  await page.keyboard.press('End')
  const last = await app.rows.count()
  await expect(page.locator('main li[aria-posinset] a:focus')).toHaveCount(1)
  expect(Number(await page.locator('main li[aria-posinset]:has(a:focus)').getAttribute('aria-posinset'))).toBeGreaterThanOrEqual(Math.min(last, SMALL_SEED))
  await page.keyboard.press('Home')
  await expect(row(1)).toBeFocused()
  await page.keyboard.press('ArrowDown')
  const second = (await row(2).innerText()).trim()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: second })).toBeVisible()

  // Back to the list: focus is on the row the person opened.
  await page.goBack()
  await expect(row(2)).toBeFocused()
  await expect(row(2)).toHaveText(second)
})

test('web host token: taken from the launch URL once, kept out of the address bar and the history; a reload still works', async ({ page }) => {
  expect(small.appUrl).toContain('#token=')
  const app = new OutpostApp(page)
  await app.open(small.appUrl)
  await app.waitForUsers(SMALL_SEED)
  expect(page.url()).not.toContain('token')
  // The history holds the blank page the browser started with and the app without its token.
  expect(await page.evaluate(() => ({ entries: history.length, hash: location.hash }))).toEqual({ entries: 2, hash: '' })
  await page.goBack()
  expect(page.url()).toBe('about:blank')
  await page.goForward()
  expect(page.url()).not.toContain('token')
  await page.reload()
  await expect(page.locator('html[data-app-ready="true"]')).toBeAttached()
  await app.waitForUsers(SMALL_SEED)
  await expect(app.connectivity).toHaveAttribute('data-connection', 'online')
  expect(page.url()).not.toContain('token')
})
