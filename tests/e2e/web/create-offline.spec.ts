/**
 * Work done with the API unreachable: a user created offline is saved and queued, then sent
 * with its server id; a proof photo attached offline is kept, uploaded and linked once back.
 */
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
  // Plain words: the laptop has a network, the server does not answer; no developer wording.
  await expect(app.connectivity).toHaveText('Can’t reach the server')
  await expect(page.getByRole('contentinfo')).not.toContainText('Phase')
  // "Sync now" does not call a sync finished when the server could not be read.
  await page.getByRole('contentinfo').getByRole('button', { name: 'Sync now' }).click()
  await expect(page.getByTestId('sync-now-report')).toHaveText(
    'Sync incomplete: couldn’t reach the server. 0 sent, 0 still waiting, 0 need attention.',
  )

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
  // That report's "0 still waiting" is over: it goes rather than contradict the count beside it.
  await expect(page.getByTestId('sync-now-report')).toHaveText('')

  // The outbox says what the entry waits for, under the name as the list writes it.
  await page.getByRole('contentinfo').getByRole('link', { name: 'Waiting to be sent: 1' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Outbox' })).toBeVisible()
  const group = page.getByRole('region', { name: 'Changes for Offline Tester' })
  await expect(group.getByRole('heading', { level: 2, name: 'Offline Tester' })).toBeVisible()
  // The laptop has a network; the server does not answer properly.
  await expect(group.getByTestId('entry-state')).toHaveText('Waiting for the server')
  await expect(group).not.toContainText('Attempts')

  await app.openUser('Offline Tester')
  await expect(page.getByText('Not yet sent').first()).toBeVisible()

  await setApiDown(offline.apiUrl, false)
  await expect(app.connectivity).toHaveAttribute('data-online', 'true')
  await expect(page.getByTestId('server-id')).toHaveText(/^[0-9a-f-]{36}$/, { timeout: 60_000 })
  await expect(page.getByTestId('pending-count')).toContainText('0')
  await expect(page.getByTestId('history')).toContainText('got its server id')
  await expect(page.getByTestId('last-sync')).toHaveText(/Last sync: now/)
  await expect(app.connectivity).toHaveText('Online')

  // "Sync now" says that it started and what it did.
  await page.getByRole('contentinfo').getByRole('button', { name: 'Sync now' }).click()
  await expect(page.getByTestId('sync-now-report')).toHaveText('Sync finished: 0 sent, 0 still waiting, 0 need attention.')
})

/** The simulator's user count (its admin surface; the real API has none). */
async function serverUserCount(apiUrl: string): Promise<number> {
  const response = await fetch(`${apiUrl}/__sandbox/state`, { headers: { 'content-type': 'application/json' } })
  return ((await response.json()) as { users: number }).users
}

test('two tabs share one outbox: one drains it, and each user is created once', async ({ page }) => {
  const first = new OutpostApp(page)
  await first.open(offline.appUrl)
  await first.waitForUsers(SMALL_SEED)
  const secondPage = await page.context().newPage()
  const second = new OutpostApp(secondPage)
  await second.open(offline.appUrl)
  await second.waitForUsers(SMALL_SEED)

  // One tab holds the drain lock; the other waits for it (Web Locks, per origin). Each tab's
  // engine starts once its first page is painted, so the second asks a moment after its rows show.
  const drainLocks = () =>
    page.evaluate(async () => {
      const state = await navigator.locks.query()
      const drain = (locks: LockInfo[] | undefined) => (locks ?? []).filter((l) => l.name?.startsWith('outpost-drain:')).length
      return { held: drain(state.held), pending: drain(state.pending) }
    })
  await expect.poll(drainLocks).toEqual({ held: 1, pending: 1 })

  const before = await serverUserCount(offline.apiUrl)
  await setApiDown(offline.apiUrl, true)
  await expect(first.connectivity).toHaveAttribute('data-online', 'false')
  await expect(second.connectivity).toHaveAttribute('data-online', 'false')
  const address = { birthDate: '1979-11-02', nationality: 'DE', line1: 'Ringstraße 8', postcode: '10115', city: 'Berlin', country: 'DE' }
  for (const [app, firstName] of [
    [first, 'Tabone'],
    [second, 'Tabtwo'],
  ] as const) {
    await app.fillNewUser({ firstName, lastName: 'Shared', ...address })
    await app.save()
    await expect(app.saveStatus()).toHaveAttribute('data-outcome', 'queued')
  }

  await setApiDown(offline.apiUrl, false)
  for (const p of [page, secondPage]) await expect(p.getByTestId('pending-count')).toContainText('0', { timeout: 60_000 })
  expect(await serverUserCount(offline.apiUrl)).toBe(before + 2)
  // Both tabs see both users with their server ids.
  for (const app of [first, second]) {
    await app.nav('Users').click()
    await app.search('Shared')
    await expect(app.rows.filter({ hasText: 'Shared' })).toHaveCount(2)
  }
})

/** A valid PNG's signature and a little payload: what a phone photo starts like. */
const PHOTO = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('paper ID, photographed in the field'),
])

/** The data_download_link of the last data change the simulator received for this user. */
async function receivedLink(apiUrl: string, userId: string): Promise<string | undefined> {
  const response = await fetch(`${apiUrl}/__sandbox/data-changes/received`, { headers: { 'content-type': 'application/json' } })
  if (!response.ok) throw new Error(`sandbox admin: ${response.status} ${await response.text()}`)
  const { received } = (await response.json()) as { received: { userId: string; body: { data_download_link?: string } }[] }
  return received.filter((r) => r.userId === userId).at(-1)?.body.data_download_link
}

test('a proof photo attached offline survives a reload, is uploaded to the team server, and the API gets its link', async ({ page }) => {
  const app = new OutpostApp(page)
  await app.open(offline.appUrl)
  await app.waitForUsers(SMALL_SEED)
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('ACTIVE')
  const name = await app.rows.nth(4).getByRole('link').innerText()
  await app.openUser(name)
  const userId = (await page.getByTestId('server-id').innerText()).trim()

  await setApiDown(offline.apiUrl, true)
  await expect(app.connectivity).toHaveAttribute('data-online', 'false')
  await page.getByRole('button', { name: 'Request data change' }).click()
  await page.getByLabel('Last name').fill('Photoproof')
  await page.getByLabel('Document type').selectOption('PASSPORT')
  await page.getByLabel('Issued on').fill('2024-05-01')
  await expect(page.getByRole('radio', { name: 'Attach a file or photo' })).toBeChecked()
  await page.getByLabel('Document file or photo').setInputFiles({ name: 'passport.png', mimeType: 'image/png', buffer: PHOTO })
  await expect(page.getByTestId('proof-file')).toContainText('passport.png')
  await page.getByRole('button', { name: 'Request change' }).click()
  const outcome = app.saveStatus()
  await expect(outcome).toHaveAttribute('data-outcome', 'queued')
  await expect(outcome).toHaveText('Saved on this laptop — will be sent when online.')
  await expect(outcome).toBeFocused()

  // The file is in IndexedDB with the entry: a reload while offline loses nothing.
  await page.reload()
  await expect(page.locator('html[data-app-ready="true"]')).toBeAttached()
  await expect(page.getByTestId('pending-count')).toContainText('1')
  // The outbox names the file the entry carries and where it is.
  await app.nav('Outbox').click()
  await expect(page.getByTestId('entry-proof-file')).toContainText('Proof document: passport.png')
  await expect(page.getByTestId('entry-proof-file')).toContainText('kept on this laptop until the change is sent')

  await setApiDown(offline.apiUrl, false)
  await expect.poll(() => receivedLink(offline.apiUrl, userId), { timeout: 60_000 }).toMatch(new RegExp(`^${offline.bridgeUrl}/documents/`))
  const link = (await receivedLink(offline.apiUrl, userId))!
  const served = await fetch(link)
  expect(served.status).toBe(200)
  expect(Buffer.from(await served.arrayBuffer()).equals(PHOTO)).toBe(true)
  await expect(page.getByTestId('pending-count')).toContainText('0', { timeout: 60_000 })
})
