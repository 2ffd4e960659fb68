// Where the packaged-app spec finds the app electron-builder unpacked, per platform, and
// the reason it prints when there is none.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findPackagedApp, type PackagedAppProbe } from '../../support/packaged-app'

const base: Omit<PackagedAppProbe, 'platform' | 'arch'> = { releaseDir: 'release', version: '1.2.3', productName: 'Outpost', name: 'outpost' }
const at = (...parts: string[]) => join('release', '1.2.3', ...parts)
const macExe = (dir: string) => at(dir, 'Outpost.app', 'Contents', 'MacOS', 'Outpost')

describe('findPackagedApp', () => {
  it('finds win-unpacked/Outpost.exe on Windows', () => {
    const exe = at('win-unpacked', 'Outpost.exe')
    expect(findPackagedApp({ ...base, platform: 'win32', arch: 'x64', exists: (p) => p === exe })).toEqual({ path: exe })
  })

  it('prefers the arm64 .app on Apple silicon and falls back to the x64 one', () => {
    const both = new Set([macExe('mac-arm64'), macExe('mac')])
    expect(findPackagedApp({ ...base, platform: 'darwin', arch: 'arm64', exists: (p) => both.has(p) })).toEqual({ path: macExe('mac-arm64') })
    expect(findPackagedApp({ ...base, platform: 'darwin', arch: 'arm64', exists: (p) => p === macExe('mac') })).toEqual({ path: macExe('mac') })
    expect(findPackagedApp({ ...base, platform: 'darwin', arch: 'x64', exists: (p) => p === macExe('mac-arm64') })).toHaveProperty('reason')
  })

  it('says where it looked when nothing is built', () => {
    expect(findPackagedApp({ ...base, platform: 'linux', arch: 'x64', exists: () => false })).toEqual({
      reason: `no packaged app at ${at('linux-unpacked', 'outpost')} (build it with \`npm run pack\` or electron-builder)`,
    })
  })
})
