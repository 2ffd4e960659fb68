// The real electron-updater (its Windows updater and generic provider) against a local
// feed that answers garbage, 404 or an older version: nothing is downloaded or installed,
// a quit during a drain is never held, and the app is never asked to quit. In place of
// Electron: a packaged app at version 0.2.0, and Node's http for Electron's `net`.
import { HttpExecutor } from 'builder-util-runtime'
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSyncStatusHub } from '../../../../electron/services/desktop/sync-status-hub'

const electron = vi.hoisted(() => {
  type Listener = (event: { preventDefault(): void }) => void
  const listeners = new Map<string, Set<Listener>>()
  const state = { userData: '' }
  return {
    listeners,
    state,
    app: {
      isPackaged: true,
      on: (name: string, listener: Listener) => listeners.set(name, (listeners.get(name) ?? new Set()).add(listener)),
      once: () => undefined,
      off: (name: string, listener: Listener) => listeners.get(name)?.delete(listener),
      quit: vi.fn(),
    },
  }
})
vi.mock('electron', () => ({ app: electron.app, net: { isOnline: () => true } }))
// vi.mock is hoisted above these imports.
import { NsisUpdater } from 'electron-updater'
import { initUpdater, type UpdaterLike } from '../../../../electron/main/updater'

/** electron-updater's HTTP, over Node's http instead of Electron's net (same options). */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return httpRequest(options, callback)
  }
}

/** What electron-updater asks of the app (its AppAdapter), for a packaged app at 0.2.0. */
function packagedApp(userData: string) {
  return {
    version: '0.2.0',
    name: 'Outpost',
    isPackaged: true,
    appUpdateConfigPath: join(userData, 'app-update.yml'),
    userDataPath: userData,
    baseCachePath: userData,
    whenReady: () => Promise.resolve(),
    quit: () => electron.app.quit(),
    relaunch: () => undefined,
    onQuit: () => undefined,
  }
}

const SHA512 = 'a'.repeat(86) + '=='
const feedFile = (version: string) =>
  `version: ${version}\nfiles:\n  - url: Outpost-Setup-${version}.exe\n    sha512: ${SHA512}\n    size: 1000\npath: Outpost-Setup-${version}.exe\nsha512: ${SHA512}\nreleaseDate: '2026-01-01T00:00:00.000Z'\n`

/** By feed folder; the channel file's name depends on the platform (latest.yml, latest-mac.yml, ...). */
const ANSWERS: Record<string, { status: number; body: string }> = {
  garbage: { status: 200, body: '<html><body>Welcome to our captive portal</body></html>' },
  older: { status: 200, body: feedFile('0.1.0') },
  same: { status: 200, body: feedFile('0.2.0') },
  newer: { status: 200, body: feedFile('0.3.0') },
}
const channelFileRead = (feed: string) => requested.some((path) => new RegExp(`^/${feed}/latest[a-z-]*\\.yml$`).test(path))

let server: Server
let base: string
const requested: string[] = []

beforeAll(async () => {
  electron.state.userData = await mkdtemp(join(tmpdir(), 'outpost-updater-'))
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? ''
    requested.push(path)
    const [, feed = '', file = ''] = path.split('/')
    const answer = /^latest[a-z-]*\.yml$/.test(file) ? ANSWERS[feed] : undefined
    res.writeHead(answer?.status ?? 404, { 'content-type': 'text/plain' }).end(answer?.body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await rm(electron.state.userData, { recursive: true, force: true })
})

beforeEach(() => {
  requested.length = 0
  electron.app.quit.mockClear()
})

async function checkFeed(feed: string) {
  const updater = new NsisUpdater(null, packagedApp(electron.state.userData))
  Reflect.set(updater, 'httpExecutor', new NodeHttpExecutor())
  const quitAndInstall = vi.spyOn(updater, 'quitAndInstall')
  const downloadUpdate = vi.spyOn(updater, 'downloadUpdate')
  const warnings: string[] = []
  const status = createSyncStatusHub()
  // The outbox is draining the whole time.
  status.report({ pending: 3, failed: 0, draining: true })
  const handle = initUpdater({
    feedUrl: () => `${base}/${feed}/`,
    syncStatus: status,
    beforeInstall: async () => undefined,
    log: { info: () => undefined, warn: (...params) => warnings.push(params.map(String).join(' ')) },
    isOnline: () => true,
    updater: updater as UpdaterLike,
    platform: 'win32',
  })
  try {
    await handle.evaluate()
    await vi.waitFor(() => expect(handle.phase().kind).not.toBe('checking'), { timeout: 10_000 })
    let prevented = false
    for (const listener of electron.listeners.get('before-quit') ?? []) listener({ preventDefault: () => (prevented = true) })
    return { phase: handle.phase(), warnings, prevented, updater, quitAndInstall, downloadUpdate }
  } finally {
    handle.stop()
  }
}

function expectNothingInstalled(result: Awaited<ReturnType<typeof checkFeed>>) {
  expect(result.downloadUpdate).not.toHaveBeenCalled()
  expect(result.quitAndInstall).not.toHaveBeenCalled()
  expect(result.updater.autoInstallOnAppQuit).toBe(false)
  expect(result.prevented).toBe(false)
  expect(electron.app.quit).not.toHaveBeenCalled()
  expect(requested.filter((path) => path.endsWith('.exe'))).toEqual([])
}

describe('update feed answers', () => {
  it('garbage: the check fails, is logged, and nothing installs', async () => {
    const result = await checkFeed('garbage')
    expect(channelFileRead('garbage')).toBe(true)
    expect(result.phase.kind).toBe('failed')
    expect(result.warnings.join('\n')).toMatch(/update failed/)
    expectNothingInstalled(result)
  })

  it('404: the check fails, is logged, and nothing installs', async () => {
    const result = await checkFeed('missing')
    expect(channelFileRead('missing')).toBe(true)
    expect(result.phase.kind).toBe('failed')
    expect(result.warnings.join('\n')).toMatch(/404/)
    expectNothingInstalled(result)
  })

  it('an older version than the running one: no update, no downgrade', async () => {
    const result = await checkFeed('older')
    expect(channelFileRead('older')).toBe(true)
    expect(result.phase.kind).toBe('idle')
    expect(result.warnings).toEqual([])
    expectNothingInstalled(result)
  })

  it('the running version: no update', async () => {
    const result = await checkFeed('same')
    expect(result.phase.kind).toBe('idle')
    expectNothingInstalled(result)
  })

  it('the control: the same harness sees a newer version and starts its download', async () => {
    const result = await checkFeed('newer')
    // Whether the download has already failed here (there is no installer) depends on timing.
    await vi.waitFor(() => expect(result.downloadUpdate).toHaveBeenCalledTimes(1), { timeout: 10_000 })
    expect(result.phase.kind).not.toBe('idle')
  })
})
