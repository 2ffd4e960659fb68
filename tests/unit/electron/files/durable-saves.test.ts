// Every small file main keeps (settings, secrets, the feed cursor, window state) is saved the
// durable way: flushed before it replaces the old one, and overlapping saves never collide.
import { readFileSync } from 'node:fs'
import { mkdtemp, open, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFileCursorStore } from '../../../../electron/services/poller/cursor-store'
import { createPlainFileSecretStore } from '../../../../electron/services/settings/secret-store'
import { createSettingsFile } from '../../../../electron/services/settings/settings-file'
import { loadWindowState, saveWindowState } from '../../../../electron/services/window-state/window-state'

const settings = (keyId: string) => ({
  apiBaseUrl: 'http://127.0.0.1:4010',
  clientId: '7f0c8d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f',
  keyId,
  scopes: ['users:read' as const],
  startMinimized: false,
  closeToTray: true,
})

/** Each kept file: a save of the n-th version, and a load that says which version is there. */
const files: Record<string, (path: string) => { save(n: number): Promise<void>; load(): Promise<number | undefined> }> = {
  settings: (path) => {
    const file = createSettingsFile(path)
    return { save: (n) => file.save(settings(`key-${n}`)), load: async () => Number((await file.load())?.keyId.slice(4)) }
  },
  secrets: (path) => {
    const store = createPlainFileSecretStore(path)
    return { save: (n) => store.save({ clientSecret: `s-${n}` }), load: async () => Number((await store.load()).clientSecret?.slice(2)) }
  },
  'feed cursor': (path) => {
    const store = createFileCursorStore(path)
    return { save: (n) => store.save('http://bridge', `c-${n}`), load: async () => Number((await store.load('http://bridge'))?.slice(2)) }
  },
  'window state': (path) => ({
    save: (n) => saveWindowState(path, { bounds: { x: n, y: 0, width: 900, height: 700 }, maximized: false }),
    load: async () => (await loadWindowState(path))?.bounds.x,
  }),
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outpost-durable-'))
})
afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

describe.each(Object.entries(files))('%s file', (_name, make) => {
  it('is flushed to disk before it replaces the old version', async () => {
    const path = join(dir, 'kept.json')
    const file = make(path)
    await file.save(1)
    const version1 = readFileSync(path, 'utf8')
    const probe = await open(path, 'r')
    const fileHandle = Object.getPrototypeOf(probe) as { sync(): Promise<void> }
    await probe.close()
    const targetAtSync: string[] = []
    const sync = fileHandle.sync
    vi.spyOn(fileHandle, 'sync').mockImplementation(async function (this: unknown) {
      targetAtSync.push(readFileSync(path, 'utf8'))
      return sync.call(this)
    })
    await file.save(2)
    // The first flush happens while the target still holds version 1: the new bytes are on disk before the rename.
    expect(targetAtSync[0]).toBe(version1)
    expect(await file.load()).toBe(2)
  })

  it('survives many overlapping saves: each resolves, one whole version wins, no temporary file is left', async () => {
    const path = join(dir, 'kept.json')
    const file = make(path)
    const versions = Array.from({ length: 20 }, (_, i) => i + 1)
    await Promise.all(versions.map((n) => file.save(n)))
    expect(versions).toContain(await file.load())
    expect(await readdir(dir)).toEqual(['kept.json'])
  })
})
