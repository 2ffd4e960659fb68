/**
 * Others act on the same users: a user offboarded by the back office while a data change for
 * them waits offline. Back online, the change is parked with that reason (never sent, never
 * "sent"), and the person discards it. A field changed by the back office meanwhile is a
 * conflict, shown side by side and resolved by keyboard.
 */
import { expect, test } from '@playwright/test'
import { createSandboxAdmin } from '../../support/sandbox-admin'
import { OutpostApp, setApiDown } from '../support/outpost-app'
import { checkScreen } from '../support/screens'
import { readStacks, SMALL_SEED, type StackInfo } from '../support/stacks'

// Read in a hook, not at import: listing the specs must work without the global setup.
let offline: StackInfo
test.beforeAll(() => {
  offline = readStacks().offline
})

test.afterEach(async () => {
  await setApiDown(offline.apiUrl, false)
})

test('a change queued offline for a user offboarded elsewhere is parked with that reason, and discarded', async ({ page }) => {
  const app = new OutpostApp(page)
  await app.open(offline.appUrl)
  await app.waitForUsers(SMALL_SEED)
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('ACTIVE')
  const name = await app.rows.nth(2).getByRole('link').innerText()
  await app.openUser(name)
  const userId = (await page.getByTestId('server-id').innerText()).trim()

  await setApiDown(offline.apiUrl, true)
  await expect(app.connectivity).toHaveAttribute('data-online', 'false')
  await app.requestNameChange('Queued')
  await expect(app.saveStatus()).toHaveAttribute('data-outcome', 'queued')

  // Meanwhile the back office offboards the user.
  await createSandboxAdmin(offline.apiUrl).backOfficeOffboard(userId, { immediately: true })
  await setApiDown(offline.apiUrl, false)
  await expect(app.connectivity).toHaveAttribute('data-online', 'true')

  await page.getByRole('link', { name: 'Outbox' }).click()
  const entry = page.locator('[data-kind="dataChange"]')
  await expect(entry).toHaveAttribute('data-state', 'parked', { timeout: 30_000 })
  // Parked by the feed's first event (offboarding) or by the read before sending (offboarded).
  await expect(entry.getByTestId('entry-error')).toContainText(/This user is now “Offboard(ing|ed)” on the server/)
  // Nothing to retry or edit: only discarding makes sense.
  await expect(entry.getByRole('button', { name: 'Retry' })).toHaveCount(0)
  await expect(entry.getByRole('button', { name: 'Edit and resend' })).toHaveCount(0)
  await expect(page.getByTestId('failed-count')).toContainText('1')

  await entry.getByRole('button', { name: 'Discard' }).click()
  await page.getByRole('alertdialog', { name: 'Discard' }).getByRole('button', { name: 'Discard change' }).click()
  await expect(page.locator('[data-kind="dataChange"]')).toHaveCount(0)
  await expect(page.getByTestId('failed-count')).toContainText('0')
  await expect(page.getByTestId('pending-count')).toContainText('0')
})

test('a conflict shows base, theirs and mine side by side; by keyboard alone the person sends theirs over it', async ({ page }) => {
  test.setTimeout(180_000)
  const app = new OutpostApp(page)
  await app.open(offline.appUrl)
  await app.waitForUsers(SMALL_SEED)
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('ACTIVE')
  const name = await app.rows.nth(4).getByRole('link').innerText()
  const [firstName, ...rest] = name.split(' ')
  const before = rest.join(' ')
  await app.openUser(name)
  const userId = (await page.getByTestId('server-id').innerText()).trim()

  await setApiDown(offline.apiUrl, true)
  await expect(app.connectivity).toHaveText('Can’t reach the server')
  await checkScreen(page, 'en', 'status-server-unreachable')
  await app.requestNameChange('Mine')
  await expect(app.saveStatus()).toHaveAttribute('data-outcome', 'queued')

  // Meanwhile the back office changes the same field.
  await createSandboxAdmin(offline.apiUrl).backOfficeChange(userId, { last_name: 'Theirs' })
  await setApiDown(offline.apiUrl, false)
  await page.getByRole('contentinfo').getByRole('link', { name: /^Waiting to be sent|^Need attention/ }).first().click()
  const group = page.getByRole('region', { name: new RegExp(`^(Changes for|Änderungen für) ${firstName} `) })
  const entry = group.getByRole('listitem').filter({ has: page.getByTestId('conflict') })
  await expect(entry.getByTestId('entry-state')).toHaveText('Needs your decision', { timeout: 30_000 })
  const table = entry.getByRole('table', { name: 'Changed elsewhere since you queued your change' })
  await expect(table.getByRole('row', { name: /Last name/ })).toHaveText(new RegExp(`Last name\\s*${before}\\s*Theirs\\s*Mine`))
  await checkScreen(page, 'en', 'outbox-conflict')
  await page.getByRole('combobox', { name: 'Language' }).selectOption('de')
  await expect(entry.getByTestId('entry-state')).toHaveText('Braucht Ihre Entscheidung')
  await checkScreen(page, 'de', 'outbox-conflict')
  await page.getByRole('combobox', { name: 'Sprache' }).selectOption('en')

  // Keyboard only: from the group's heading link, Tab to "Send mine anyway" and press Enter.
  await group.getByRole('heading', { level: 2 }).getByRole('link').focus()
  const sendMine = entry.getByRole('button', { name: 'Send mine anyway' })
  for (let i = 0; i < 10 && !(await sendMine.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
  await expect(sendMine).toBeFocused()
  await expect(entry.getByRole('button', { name: 'Edit and resend' })).toBeVisible()
  await expect(entry.getByRole('button', { name: 'Discard' })).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('failed-count')).toContainText('0', { timeout: 30_000 })
  await app.openUser(`${firstName} Mine`)
})
