/**
 * Smoke test of the app as shipped: launches the unpacked app electron-builder made
 * (tests/support/packaged-app.ts) against a simulator and bridge started here, configures it
 * through its Settings screen, sees the users list, queues a create with the API down, closes
 * the window, and sees the create reach the API from the background once the API is back.
 * Skips, saying why, where no packaged app exists (the release workflow sets
 * OUTPOST_PACKAGED_APP_REQUIRED=1, so there a missing app fails).
 */
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startOutpostStack, type OutpostStack } from '../../support/outpost-stack'
import { findPackagedApp } from '../../support/packaged-app'
import { OutpostApp, setApiDown } from '../support/outpost-app'

const SEED = 25

/** The simulator's user count (its admin surface; the real API has none). */
async function serverUserCount(apiUrl: string): Promise<number> {
  const response = await fetch(`${apiUrl}/__sandbox/state`)
  return ((await response.json()) as { users: number }).users
}

const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { name: string; version: string; productName: string }
const found = findPackagedApp({
  releaseDir: resolve('release'),
  version: pkg.version,
  productName: pkg.productName,
  name: pkg.name,
  platform: process.platform,
  arch: process.arch,
})
const required = process.env.OUTPOST_PACKAGED_APP_REQUIRED === '1'

test.describe('packaged app', () => {
  test.skip(!required && 'reason' in found, `Packaged-app smoke test skipped: ${'reason' in found ? found.reason : ''}`)

  let stack: OutpostStack | undefined
  let dir: string | undefined
  let app: ElectronApplication | undefined

  test.afterAll(async () => {
    await app?.close()
    if (stack) await setApiDown(stack.sandbox.url, false)
    await stack?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('configures, lists users, and sends a create queued offline with the window closed', async () => {
    if ('reason' in found) throw new Error(`the packaged app is required here, but there is ${found.reason}`)
    stack = await startOutpostStack({ sandbox: { seed: SEED } })
    dir = await mkdtemp(join(tmpdir(), 'outpost-packaged-e2e-'))
    app = await electron.launch({
      executablePath: found.path,
      args: [],
      env: { ...process.env, OUTPOST_USER_DATA_DIR: join(dir, 'user-data') },
    })
    const page = await app.firstWindow()
    const outpost = new OutpostApp(page)
    await expect(page.locator('html[data-app-ready="true"]')).toBeAttached()

    // A packaged app has no dev fallback: it is set up the way field staff set it up.
    const { settings, secrets } = stack.config
    await outpost.nav('Settings').click()
    await page.getByLabel('API URL').fill(settings.apiBaseUrl)
    await page.getByLabel('Client id').fill(settings.clientId)
    await page.getByLabel('Signing key id').fill(settings.keyId)
    await page.getByLabel('Bridge URL').fill(settings.bridgeUrl ?? '')
    await page.getByLabel('Client secret').fill(secrets.clientSecret ?? '')
    await page.getByLabel('Bridge token').fill(secrets.bridgeToken ?? '')
    await page.getByLabel('Signing private key (PEM)').fill(secrets.privateKeyPem ?? '')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await expect(page.getByText('Settings saved.')).toBeVisible()

    await outpost.nav('Users').click()
    await outpost.waitForUsers(SEED)
    await expect(outpost.rows.first()).toBeVisible()

    await setApiDown(stack.sandbox.url, true)
    await expect(outpost.connectivity).toHaveAttribute('data-online', 'false', { timeout: 60_000 })
    await outpost.fillNewUser({
      firstName: 'Packaged',
      lastName: 'Tester',
      birthDate: '1982-06-01',
      nationality: 'DE',
      line1: 'Hafenstr. 1',
      postcode: '20457',
      city: 'Hamburg',
      country: 'DE',
    })
    await outpost.save()
    await expect(outpost.saveStatus()).toHaveAttribute('data-outcome', 'queued')
    await expect(page.getByTestId('pending-count')).toContainText('1')

    // Closing the window keeps the app (closeToTray is on by default) and the sync running.
    const before = await serverUserCount(stack.sandbox.url)
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close())
    await expect.poll(() => app?.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible()))).toEqual([false])
    await setApiDown(stack.sandbox.url, false)
    await expect.poll(() => serverUserCount(stack?.sandbox.url ?? ''), { timeout: 60_000 }).toBe(before + 1)
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.show())

    await expect(outpost.connectivity).toHaveAttribute('data-online', 'true', { timeout: 60_000 })
    await outpost.openUser('Packaged Tester')
    await expect(page.getByTestId('server-id')).toHaveText(/^[0-9a-f-]{36}$/, { timeout: 60_000 })
    await expect(page.getByTestId('pending-count')).toContainText('0')
  })
})
