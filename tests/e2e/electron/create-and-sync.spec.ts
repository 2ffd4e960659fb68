/**
 * The real desktop app, launched with `_electron.launch`: creates one user through the UI
 * and waits until the simulator's answer and its webhook events (through the bridge and
 * main's poller) give the row its server id. Skips, saying why, where no Electron binary
 * is installed; the same flow runs in the `web` project through the web host.
 */
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startOutpostStack, type OutpostStack } from '../../support/outpost-stack'
import { OutpostApp } from '../support/outpost-app'

/** The binary's path as the electron package reports it, or why there is none. */
function findElectron(): { path: string } | { reason: string } {
  try {
    const path: unknown = createRequire(import.meta.url)('electron')
    if (typeof path !== 'string') return { reason: 'the electron package did not report a binary path' }
    return existsSync(path) ? { path } : { reason: `no Electron binary at ${path}` }
  } catch (error) {
    return {
      reason: `no Electron binary installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); the install skipped or failed its download`,
    }
  }
}

const found = findElectron()
const missing = 'reason' in found ? found.reason : undefined

test.describe('desktop app', () => {
  test.skip(
    missing !== undefined,
    `Electron spec skipped: ${missing ?? ''}. The create-and-sync flow is covered by the web project through the web host.`,
  )

  let stack: OutpostStack
  let dir: string
  let app: ElectronApplication | undefined

  test.beforeAll(async () => {
    stack = await startOutpostStack()
    dir = await mkdtemp(join(tmpdir(), 'outpost-electron-e2e-'))
    await writeFile(join(dir, 'dev-config.json'), JSON.stringify({ settings: stack.config.settings, secrets: stack.config.secrets }))
  })

  test.afterAll(async () => {
    await app?.close()
    await stack?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('creates a user and syncs it', async () => {
    if (!('path' in found)) return
    app = await electron.launch({
      executablePath: found.path,
      args: [resolve('out/main/index.js'), '--no-sandbox'],
      env: { ...process.env, OUTPOST_DEV_CONFIG: join(dir, 'dev-config.json'), OUTPOST_USER_DATA_DIR: join(dir, 'user-data') },
    })
    const page = await app.firstWindow()
    const outpost = new OutpostApp(page)
    await expect(page.locator('html[data-app-ready="true"]')).toBeAttached()
    // The preload's object is there and frozen; Node is not.
    expect(
      await page.evaluate(() => ({ frozen: Object.isFrozen(Reflect.get(window, 'outpost')), node: typeof Reflect.get(window, 'require') })),
    ).toEqual({ frozen: true, node: 'undefined' })

    await outpost.fillNewUser({
      firstName: 'Desktop',
      lastName: 'Tester',
      birthDate: '1984-02-29',
      nationality: 'DE',
      line1: 'Ringstr. 5',
      postcode: '50667',
      city: 'Köln',
      country: 'DE',
    })
    await outpost.save()
    await outpost.openUser('Desktop Tester')
    await expect(page.getByTestId('server-id')).toHaveText(/^[0-9a-f-]{36}$/, { timeout: 60_000 })
  })
})
