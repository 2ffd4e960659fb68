/**
 * Server-side lifecycles seen in the UI: offboarding completes via webhook, a data change
 * with proof waits for its event, a change rejected by the API parks and is fixed by edit
 * and resend, and a change made by another API client appears live with a notice.
 */
import { expect, test, type Page } from '@playwright/test'
import { createApiClient } from '../../../shared/node/api'
import { loadDevClient } from '../../../server/sandbox'
import { OutpostApp } from '../support/outpost-app'
import { readStacks, SMALL_SEED, type StackInfo } from '../support/stacks'

// Read in a hook, not at import: listing the specs must work without the global setup.
let small: StackInfo
test.beforeAll(() => {
  small = readStacks().small
})

/** Opens the app on the list of active users and returns the name of the n-th one. */
async function activeUser(page: Page, n: number): Promise<{ app: OutpostApp; name: string }> {
  const app = new OutpostApp(page)
  await app.open(small.appUrl)
  await app.waitForUsers(SMALL_SEED)
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('ACTIVE')
  const link = app.rows.nth(n).getByRole('link')
  const name = await link.innerText()
  return { app, name }
}

test('offboarding shows OFFBOARDING, then OFFBOARDED when the webhook arrives', async ({ page }) => {
  const { app, name } = await activeUser(page, 0)
  await app.openUser(name)
  // Online, the detail is read fresh from the server and says so; never "not confirmed".
  await expect(page.getByTestId('last-confirmed')).toHaveText(/^As of .+, read from the server\.$/)
  await page.getByRole('button', { name: 'Offboard', exact: true }).click()
  const dialog = page.getByRole('alertdialog', { name: `Offboard ${name}?` })
  await expect(dialog).toContainText('completes the offboarding later')
  await dialog.getByRole('button', { name: `Offboard ${name}` }).click()
  await expect(app.field('status')).toContainText('Offboarding')
  await expect(app.field('status')).toHaveText(/^\s*Offboarded\s*$/, { timeout: 30_000 })
  // The person's own offboarding is a confirmation, not news from elsewhere.
  const notice = page.getByRole('status', { name: 'Live updates' })
  await expect(notice).toContainText(`${name}: the server confirmed your change`)
  // Not news from elsewhere (other users changed in the same batch may be counted after it).
  await expect(notice).not.toContainText(`${name} was updated elsewhere`)
  // Nothing more to do for an offboarded user.
  await expect(page.getByRole('button', { name: 'Request data change' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Offboard', exact: true })).toHaveCount(0)
})

test('a data change with proof is confirmed once its event arrives', async ({ page }) => {
  const { app, name } = await activeUser(page, 1)
  await app.openUser(name)
  await app.requestNameChange('Proofed')
  await expect(app.saveStatus()).toHaveAttribute('data-outcome', /sent|queued/)
  // The change just sent is no "earlier change still waiting".
  await expect(page.getByTestId('one-at-a-time')).toHaveCount(0)
  // The back link names the user as shown now: once the change is confirmed (it may already be), "Proofed".
  await page.getByRole('link', { name: new RegExp(`^← ${name.split(' ')[0]} `) }).click()
  await expect(page.locator('[data-step="applied"]')).toContainText('Data change: confirmed', { timeout: 30_000 })
  await expect(app.field('last_name')).toHaveText(/^\s*Proofed\s*$/)
  await expect(page.locator('[data-pending]')).toHaveCount(0)
})

test('a change the API rejects is parked, and edit and resend fixes it', async ({ page }) => {
  const { app, name } = await activeUser(page, 2)
  const reject = await fetch(`${small.apiUrl}/__sandbox/data-changes/reject-next`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'last_name: does not match the passport', count: 1 }),
  })
  expect(reject.ok).toBe(true)
  await app.openUser(name)
  await app.requestNameChange('Wrongname')
  await app.nav('Outbox').click()
  const entry = page.locator('[data-kind="dataChange"][data-state="parked"]')
  await expect(entry.getByTestId('entry-error')).toContainText('does not match the passport', { timeout: 30_000 })
  await expect(page.getByTestId('failed-count')).toContainText('1')

  await entry.getByRole('button', { name: 'Edit and resend' }).click()
  await page.getByLabel('Last name').fill('Rightname')
  await page.getByRole('button', { name: 'Resend' }).click()
  await expect(app.saveStatus()).toHaveAttribute('data-outcome', /sent|queued/)
  await expect(page.getByTestId('failed-count')).toContainText('0')
  await app.openUser(`${name.split(' ')[0]} Rightname`)
  await expect(page.locator('[data-step="applied"]')).toContainText('Data change: confirmed', { timeout: 30_000 })
})

test('a user offboarded by another client changes state live, with a notice', async ({ page }) => {
  const { app, name } = await activeUser(page, 3)
  await app.openUser(name)
  const userId = (await page.getByTestId('server-id').innerText()).trim()
  await app.nav('Users').click()
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('')
  await app.search(name)
  await expect(app.row(name)).toContainText('Active')

  const client = loadDevClient()
  const other = createApiClient({
    baseUrl: small.apiUrl,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    keyId: client.keyId,
    privateKeyPem: client.privateKeyPem,
    scopes: ['users:read', 'users:admin'],
  })
  const result = await other.offboardUser(userId)
  expect(result.ok).toBe(true)

  await expect(page.getByRole('status', { name: 'Live updates' })).toContainText(`${name} was updated elsewhere`)
  await expect(app.row(name)).toContainText(/Offboarding|Offboarded/)
  await expect(app.row(name)).toContainText('Offboarded', { timeout: 30_000 })
})
