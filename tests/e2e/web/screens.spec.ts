/**
 * The main screens in both languages: no axe violations, keyboard focus visible, and a
 * screenshot of each (artifacts/screenshots, kept by CI as an artifact).
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { OutpostApp } from '../support/outpost-app'
import { readStacks, SMALL_SEED, type StackInfo } from '../support/stacks'

// Read in a hook, not at import: listing the specs must work without the global setup.
let small: StackInfo
test.beforeAll(() => {
  small = readStacks().small
})
const SHOTS = join(process.cwd(), 'artifacts', 'screenshots')

const LANGUAGES = [
  { code: 'en', label: 'English', nav: { users: 'Users', create: 'New user', outbox: 'Outbox', settings: 'Settings' } },
  { code: 'de', label: 'Deutsch', nav: { users: 'Personen', create: 'Neue Person', outbox: 'Postausgang', settings: 'Einstellungen' } },
] as const

async function checkScreen(page: Page, lang: string, screen: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${lang}-${screen}.png`) })
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `${lang} ${screen}`,
  ).toEqual([])
}

for (const lang of LANGUAGES) {
  test(`main screens in ${lang.label}: axe-clean, with screenshots`, async ({ page }) => {
    // Ten axe runs on a busy 2-core machine.
    test.setTimeout(240_000)
    mkdirSync(SHOTS, { recursive: true })
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
