/**
 * Where electron-builder left the unpacked app for this platform (`release/<version>/…`):
 * win-unpacked/Outpost.exe, mac-arm64|mac/Outpost.app, linux-unpacked/outpost. Returns the
 * executable, or why there is none, so the packaged-app spec can skip saying so.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export type PackagedApp = { readonly path: string } | { readonly reason: string }

export interface PackagedAppProbe {
  readonly releaseDir: string
  readonly version: string
  readonly productName: string
  /** The package name: electron-builder's Linux executable name. */
  readonly name: string
  readonly platform: NodeJS.Platform
  readonly arch: string
  readonly exists?: (path: string) => boolean
}

/** Candidate executables, the one matching this machine's architecture first. */
export function packagedAppCandidates(probe: PackagedAppProbe): readonly string[] {
  const base = join(probe.releaseDir, probe.version)
  const macApp = (dir: string) => join(base, dir, `${probe.productName}.app`, 'Contents', 'MacOS', probe.productName)
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- other platforms have no known location: none is searched
  switch (probe.platform) {
    case 'win32':
      return [join(base, 'win-unpacked', `${probe.productName}.exe`)]
    case 'darwin':
      // Apple silicon runs the x64 build too (Rosetta); an Intel Mac runs only x64.
      return probe.arch === 'arm64' ? [macApp('mac-arm64'), macApp('mac')] : [macApp('mac')]
    case 'linux':
      return [join(base, probe.arch === 'arm64' ? 'linux-arm64-unpacked' : 'linux-unpacked', probe.name)]
    default:
      return []
  }
}

export function findPackagedApp(probe: PackagedAppProbe): PackagedApp {
  const exists = probe.exists ?? existsSync
  const candidates = packagedAppCandidates(probe)
  const path = candidates.find((candidate) => exists(candidate))
  if (path !== undefined) return { path }
  if (candidates.length === 0) return { reason: `no packaged app layout is known for ${probe.platform}` }
  return { reason: `no packaged app at ${candidates.join(' or ')} (build it with \`npm run pack\` or electron-builder)` }
}
