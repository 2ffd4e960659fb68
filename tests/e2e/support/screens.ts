/**
 * Screenshots and axe checks of a screen. Screenshots go to artifacts/screenshots (kept by CI);
 * with OUTPOST_SCREENSHOTS=1 they go to docs/screenshots instead, the README's pictures, so
 * those are made by the e2e run and never go stale (see README, Screenshots).
 */
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

export const SCREENSHOTS_ENV = 'OUTPOST_SCREENSHOTS'

export function screenshotDir(): string {
  const dir = process.env[SCREENSHOTS_ENV] === '1' ? join(process.cwd(), 'docs', 'screenshots') : join(process.cwd(), 'artifacts', 'screenshots')
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Screenshot `<lang>-<screen>.png`, then no axe violation (WCAG 2.1 A and AA). */
export async function checkScreen(page: Page, lang: string, screen: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir(), `${lang}-${screen}.png`) })
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `${lang} ${screen}`,
  ).toEqual([])
}
