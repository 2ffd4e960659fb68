import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryCursorStore } from '../../../electron/services/poller/cursor-store'
import { createAppRuntime, type AppRuntime } from '../../../electron/services/runtime/app-runtime'
import type { PushSink } from '../../../electron/services/runtime/push'
import { createConfigService } from '../../../electron/services/settings/config-service'
import { createPlainFileSecretStore } from '../../../electron/services/settings/secret-store'
import { createSettingsFile } from '../../../electron/services/settings/settings-file'
import type { IpcEventName } from '../../../shared/ipc/contract'
import { startOutpostStack, type OutpostStack } from '../../support/outpost-stack'

describe('app runtime', () => {
  let stack: OutpostStack
  let dir: string
  let runtime: AppRuntime
  const pushes: Array<{ event: IpcEventName; payload: unknown }> = []
  const waiters: Array<() => void> = []
  const push: PushSink = (event, payload) => {
    pushes.push({ event, payload })
    waiters.splice(0).forEach((wake) => wake())
  }
  /** Resolves when a push matching `accept` has arrived (now or later). */
  function pushed(accept: (entry: { event: IpcEventName; payload: unknown }) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('push not seen')), 15_000)
      const check = () => {
        if (pushes.some(accept)) {
          clearTimeout(timer)
          resolve()
        } else waiters.push(check)
      }
      check()
    })
  }

  beforeAll(async () => {
    stack = await startOutpostStack()
    dir = await mkdtemp(join(tmpdir(), 'outpost-runtime-'))
    const config = createConfigService({
      settingsFile: createSettingsFile(join(dir, 'settings.json')),
      secretStore: createPlainFileSecretStore(join(dir, 'secrets.json')),
    })
    await config.load()
    runtime = createAppRuntime({
      config,
      cursorStore: createMemoryCursorStore(),
      push,
      appInfo: { version: '0.0.0-test', platform: process.platform, transport: 'web' },
      poller: { waitSeconds: 1 },
      connectivity: { onlineIntervalMs: 60_000, offlineIntervalMs: 60_000 },
    })
    await runtime.start()
  })
  afterAll(async () => {
    await runtime?.stop()
    await stack?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('starts unconfigured, then builds the API client and poller when settings are saved', async () => {
    const before = await runtime.handlers.getUser({ userId: randomUUID() })
    expect(!before.ok && before.error.kind).toBe('not_configured')
    expect(runtime.poller()).toBeNull()

    const saved = await runtime.handlers.saveSettings(stack.config)
    expect(saved).toMatchObject({ hasClientSecret: true, hasPrivateKey: true, hasBridgeToken: true })
    const page = await runtime.handlers.listUsers({ limit: 1 })
    expect(page.ok).toBe(true)
    await pushed((p) => p.event === 'connectivityChanged' && (p.payload as { online: boolean }).online)
    expect(runtime.poller()).not.toBeNull()
  })

  it('asks the renderer to sync from the menu, and lets an API call in flight finish on stop', async () => {
    runtime.requestSync('menu')
    await pushed((p) => p.event === 'syncRequested')
    const inFlight = runtime.handlers.listUsers({ limit: 5 })
    await runtime.stop()
    expect((await inFlight).ok).toBe(true)
    expect(runtime.poller()).toBeNull()
  })
})
