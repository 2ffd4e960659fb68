/** Creating a user with the API unreachable: saved and queued, then sent with its server id once back online. */
import { expect, test } from '@playwright/test'
import { OutpostApp, setApiDown } from '../support/outpost-app'
import { readStacks, SMALL_SEED, type StackInfo } from '../support/stacks'

// Read in a hook, not at import: listing the specs must work without the global setup.
let offline: StackInfo
test.beforeAll(() => {
  offline = readStacks().offline
})

test.afterEach(async () => {
  await setApiDown(offline.apiUrl, false)
})

test('a user created offline is queued, then synced with its server id', async ({ page }) => {
  const app = new OutpostApp(page)
  await app.open(offline.appUrl)
  await app.waitForUsers(SMALL_SEED)

  await setApiDown(offline.apiUrl, true)
  await expect(app.connectivity).toHaveAttribute('data-online', 'false')

  await app.fillNewUser({
    firstName: 'Offline',
    lastName: 'Tester',
    birthDate: '1985-03-14',
    nationality: 'DE',
    line1: 'Feldweg 3',
    postcode: '80331',
    city: 'München',
    country: 'DE',
  })
  await app.save()
  await expect(app.saveStatus()).toHaveAttribute('data-outcome', 'queued')
  await expect(page.getByTestId('pending-count')).toContainText('1')

  await app.openUser('Offline Tester')
  await expect(page.getByText('Not yet sent').first()).toBeVisible()

  await setApiDown(offline.apiUrl, false)
  await expect(app.connectivity).toHaveAttribute('data-online', 'true')
  await expect(page.getByTestId('server-id')).toHaveText(/^[0-9a-f-]{36}$/, { timeout: 60_000 })
  await expect(page.getByTestId('pending-count')).toContainText('0')
  await expect(page.getByTestId('history')).toContainText('got its server id')
})
