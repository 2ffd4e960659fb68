/**
 * The forms by keyboard alone, and axe-clean in both languages: a new user typed from the
 * first field to the outcome, and a data change with a proof photo picked from the file
 * dialog, each ending with focus on a truthful outcome and a clean form.
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { OutpostApp } from '../support/outpost-app'
import { readStacks, SMALL_SEED, type StackInfo } from '../support/stacks'

// Read in a hook, not at import: listing the specs must work without the global setup.
let small: StackInfo
test.beforeAll(() => {
  small = readStacks().small
})

const PHOTO = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('ID card photo')])

/** Presses Tab until `target` has focus (at most `limit` times): the way a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  await expect(target).toBeFocused()
}

async function expectAxeClean(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    what,
  ).toEqual([])
}

test('keyboard only: a new user from the first field to a focused outcome, with the error summary on the way', async ({ page }) => {
  const app = new OutpostApp(page)
  await app.open(small.appUrl)
  await app.waitForUsers(SMALL_SEED)
  await tabTo(page, app.nav('New user'))
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'New user' })).toBeVisible()

  // Save at once: the summary takes focus, counts the problems and leads to each field.
  const save = page.getByRole('button', { name: 'Save', exact: true })
  await tabTo(page, save)
  await page.keyboard.press('Enter')
  const summary = page.getByRole('alert')
  await expect(summary).toBeFocused()
  await expect(summary).toContainText(/There are \d+ problems with this form\. Please fix them:/)
  await page.keyboard.press('Tab')
  await expect(summary.getByRole('link', { name: /^First name:/ })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByLabel('First name')).toBeFocused()

  await page.keyboard.type('Keya')
  await tabTo(page, page.getByLabel('Last name'))
  await page.keyboard.type('Board')
  await tabTo(page, page.getByLabel('Date of birth'))
  await page.keyboard.type('03141985')
  await tabTo(page, page.getByLabel('Add nationality'))
  await page.keyboard.type('Germany')
  await tabTo(page, page.getByRole('button', { name: 'Add nationality' }))
  await page.keyboard.press('Enter')
  // Focus goes to the nationality just added, not back to the page's start.
  await expect(page.locator('li[data-code="DE"]')).toBeFocused()
  await tabTo(page, page.getByLabel('Address line 1'))
  await page.keyboard.type('Tastenweg 1')
  await tabTo(page, page.getByLabel('Postcode'))
  await page.keyboard.type('10115')
  await tabTo(page, page.getByLabel('City', { exact: true }))
  await page.keyboard.type('Berlin')
  await tabTo(page, page.getByLabel('Country', { exact: true }))
  await page.keyboard.type('Germany')
  await tabTo(page, save)
  await page.keyboard.press('Enter')

  const outcome = app.saveStatus()
  await expect(outcome).toBeFocused()
  await expect(outcome).toHaveText(/^(Sent\. The server has accepted it\.|Saved on this laptop — will be sent when online\.)$/)
  await expect(page.locator('main [aria-invalid="true"]')).toHaveCount(0)
  await expect(page.getByRole('alert')).toHaveCount(0)
  await expect(page.getByLabel('First name')).toHaveValue('')
})

test('keyboard only: a data change with a proof photo from the file dialog; axe-clean in English and German', async ({ page }) => {
  test.setTimeout(240_000)
  const app = new OutpostApp(page)
  await app.open(small.appUrl)
  await app.waitForUsers(SMALL_SEED)
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('ACTIVE')
  const name = await app.rows.nth(5).getByRole('link').innerText()
  await app.openUser(name)
  await tabTo(page, page.getByRole('button', { name: 'Request data change' }))
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: /Request a data change/ })).toBeVisible()

  await tabTo(page, page.getByLabel('Last name'))
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type('Keyfile')
  await tabTo(page, page.getByLabel('Document type'))
  await page.keyboard.type('Passport')
  await tabTo(page, page.getByLabel('Issued on'))
  await page.keyboard.type('05012024')
  const file = page.getByLabel('Document file or photo')
  await tabTo(page, file)
  const chooser = page.waitForEvent('filechooser')
  await page.keyboard.press('Space')
  await (await chooser).setFiles({ name: 'id-card.png', mimeType: 'image/png', buffer: PHOTO })
  await expect(page.getByTestId('proof-file')).toContainText('id-card.png')
  await expectAxeClean(page, 'en data change with a file')

  await page.getByRole('combobox', { name: 'Language' }).selectOption('de')
  await expect(page.locator('html')).toHaveAttribute('lang', 'de')
  await expect(page.getByText('Datei oder Foto anhängen')).toBeVisible()
  await expectAxeClean(page, 'de data change with a file')
  await page.getByRole('combobox', { name: 'Sprache' }).selectOption('en')

  await tabTo(page, page.getByRole('button', { name: 'Request change' }))
  await page.keyboard.press('Enter')
  const outcome = app.saveStatus()
  await expect(outcome).toBeFocused()
  await expect(outcome).toHaveAttribute('data-outcome', /sent|queued/)
  await expect(page.getByTestId('proof-file')).toHaveCount(0)
})
