/**
 * Which Chromium the e2e specs and the browser benchmarks launch: `CHROMIUM_PATH` always
 * wins, then a system Chromium where the platform has one (Debian's `/usr/bin/chromium`),
 * then the browser `npx playwright install chromium` put in Playwright's cache (CI runners).
 */
import { chromium } from '@playwright/test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'playwright'

export interface ChromiumChoice {
  readonly path: string
  readonly source: ChromiumSource
}

/** What the finder looks at; tests pass their own. */
export interface ChromiumProbe {
  readonly env: NodeJS.ProcessEnv
  readonly platform: NodeJS.Platform
  readonly exists: (path: string) => boolean
  /** Where Playwright's own Chromium is (or would be) installed; undefined if it cannot say. */
  readonly playwrightPath: () => string | undefined
}

/** System Chromium locations, most common first. */
export function systemChromiumPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): readonly string[] {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- other platforms have no known location: none is searched
  switch (platform) {
    case 'linux':
      return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium']
    case 'darwin':
      return ['/Applications/Chromium.app/Contents/MacOS/Chromium']
    case 'win32':
      return env.LOCALAPPDATA === undefined ? [] : [join(env.LOCALAPPDATA, 'Chromium', 'Application', 'chrome.exe')]
    default:
      return []
  }
}

export function findChromium(probe: ChromiumProbe): ChromiumChoice {
  const forced = probe.env.CHROMIUM_PATH
  if (forced !== undefined && forced !== '') {
    // It always wins, so a wrong value must fail loudly rather than fall through.
    if (!probe.exists(forced)) throw new Error(`CHROMIUM_PATH is set to ${forced}, but no file is there`)
    return { path: forced, source: 'CHROMIUM_PATH' }
  }
  const system = systemChromiumPaths(probe.platform, probe.env).find((path) => probe.exists(path))
  if (system !== undefined) return { path: system, source: 'system' }
  const installed = probe.playwrightPath()
  if (installed !== undefined && probe.exists(installed)) return { path: installed, source: 'playwright' }
  throw new Error(
    `no Chromium found: set CHROMIUM_PATH, install a system Chromium (${systemChromiumPaths(probe.platform, probe.env).join(', ') || 'none known for this platform'}), or run \`npx playwright install chromium\``,
  )
}

export function describeChromium(choice: ChromiumChoice): string {
  const why = { CHROMIUM_PATH: 'from CHROMIUM_PATH', system: 'system Chromium', playwright: "Playwright's installed Chromium" }
  return `chromium: ${choice.path} (${why[choice.source]})`
}

function playwrightPath(): string | undefined {
  try {
    return chromium.executablePath()
  } catch {
    return undefined
  }
}

let chosen: ChromiumChoice | undefined

/** The Chromium of this machine, found once per process. */
export function chromiumChoice(): ChromiumChoice {
  chosen ??= findChromium({ env: process.env, platform: process.platform, exists: existsSync, playwrightPath })
  return chosen
}

/** Quiet, headless-friendly flags: no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
