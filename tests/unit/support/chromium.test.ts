// The browser finder: CHROMIUM_PATH wins, then a system Chromium, then Playwright's own;
// each choice says where it came from, and no browser at all is a clear error.
import { describe, expect, it } from 'vitest'
import { describeChromium, findChromium, type ChromiumProbe } from '../../support/chromium'

const PLAYWRIGHT_MAC = '/Users/runner/Library/Caches/ms-playwright/chromium-1/chrome-mac/Chromium.app/Contents/MacOS/Chromium'

function probe(files: readonly string[], overrides: Partial<ChromiumProbe> = {}): ChromiumProbe {
  return { env: {}, platform: 'linux', exists: (path) => files.includes(path), playwrightPath: () => undefined, ...overrides }
}

describe('findChromium', () => {
  it('takes CHROMIUM_PATH over a system Chromium and says so', () => {
    const choice = findChromium(probe(['/opt/chrome/chrome', '/usr/bin/chromium'], { env: { CHROMIUM_PATH: '/opt/chrome/chrome' } }))
    expect(choice).toEqual({ path: '/opt/chrome/chrome', source: 'CHROMIUM_PATH' })
    expect(describeChromium(choice)).toBe('chromium: /opt/chrome/chrome (from CHROMIUM_PATH)')
  })

  it('refuses a CHROMIUM_PATH that points at nothing instead of quietly using another browser', () => {
    expect(() => findChromium(probe(['/usr/bin/chromium'], { env: { CHROMIUM_PATH: '/nope/chrome' } }))).toThrow(
      'CHROMIUM_PATH is set to /nope/chrome, but no file is there',
    )
  })

  it("prefers Debian's Chromium on Linux over Playwright's", () => {
    const choice = findChromium(probe(['/usr/bin/chromium', '/cache/chrome'], { playwrightPath: () => '/cache/chrome' }))
    expect(describeChromium(choice)).toBe('chromium: /usr/bin/chromium (system Chromium)')
  })

  it("uses Playwright's installed Chromium on a macOS runner without a system one", () => {
    const choice = findChromium(probe([PLAYWRIGHT_MAC], { platform: 'darwin', playwrightPath: () => PLAYWRIGHT_MAC }))
    expect(choice).toEqual({ path: PLAYWRIGHT_MAC, source: 'playwright' })
    expect(describeChromium(choice)).toContain("Playwright's installed Chromium")
  })

  it("finds a per-user Chromium on Windows, else Playwright's", () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\runner\\AppData\\Local' }
    const pw = 'C:\\Users\\runner\\AppData\\Local\\ms-playwright\\chromium-1\\chrome-win\\chrome.exe'
    expect(findChromium(probe([pw], { platform: 'win32', env, playwrightPath: () => pw })).source).toBe('playwright')
  })

  it('names every way out when there is no browser at all (Playwright knows where, but nothing is installed)', () => {
    expect(() => findChromium(probe([], { playwrightPath: () => '/cache/chrome' }))).toThrow(
      /no Chromium found: set CHROMIUM_PATH, install a system Chromium \(\/usr\/bin\/chromium.*\), or run `npx playwright install chromium`/,
    )
  })
})
