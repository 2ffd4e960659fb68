/**
 * Playwright: the `web` project runs the built renderer in Chromium (tests/support/chromium.ts
 * picks which; the global setup prints it) through the web host, against the real simulator
 * and bridge started by the global setup. The `electron` project (tests/e2e/electron) skips
 * itself where no Electron binary or packaged app exists, and prints why.
 */
import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumChoice } from './tests/support/chromium'

/** Undefined where none is found: the global setup prints the finder's reason, Playwright its own error. */
function chromiumPath(): string | undefined {
  try {
    return chromiumChoice().path
  } catch {
    return undefined
  }
}

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/support/global-setup.ts',
  // Two: the 100k list spec runs beside the functional ones (each spec family has its own stack).
  workers: 2,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['./tests/e2e/support/skip-reasons.ts'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  outputDir: 'test-results',
  use: {
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'web',
      testMatch: 'web/**/*.spec.ts',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
      },
    },
    {
      name: 'electron',
      testMatch: 'electron/**/*.spec.ts',
    },
  ],
})
