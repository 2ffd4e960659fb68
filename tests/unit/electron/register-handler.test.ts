import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { IPC_METHODS, methodChannel } from '../../../shared/ipc/contract'

type InvokeListener = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>
const registered = new Map<string, InvokeListener>()

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, listener: InvokeListener) => {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`)
      registered.set(channel, listener)
    },
    removeHandler: (channel: string) => registered.delete(channel),
  },
}))

const { registerHandler, registerHandlers } = await import('../../../electron/main/ipc/register-handler')
const { createSenderCheck, isRendererUrl } = await import('../../../electron/main/ipc/trusted-sender')
const { createHandlers } = await import('../../../electron/services/handlers/create-handlers')
const { createConfigService } = await import('../../../electron/services/settings/config-service')
const { createMemorySecretStore } = await import('../../../electron/services/settings/secret-store')
const { createMemoryJournal } = await import('../../../electron/services/handlers/journal-store')

const RENDERER_URL = 'file:///app/out/renderer/index.html'
const SECRET = 'top-secret-client-secret'

/** A stand-in for our BrowserWindow: just the identity the sender check compares. */
function fakeWindow() {
  const mainFrame = { url: RENDERER_URL }
  const webContents = { mainFrame }
  return { window: { webContents, isDestroyed: () => false }, webContents, mainFrame }
}

function eventFrom(sender: unknown, senderFrame: unknown): IpcMainInvokeEvent {
  return { sender, senderFrame } as unknown as IpcMainInvokeEvent
}

describe('IPC handler registration', () => {
  const ours = fakeWindow()
  let userIdsSeen: string[]

  beforeEach(async () => {
    registered.clear()
    userIdsSeen = []
    const config = createConfigService({
      settingsFile: { path: 'memory', load: async () => null, save: async () => undefined },
      secretStore: createMemorySecretStore(),
      fallback: {
        settings: {
          apiBaseUrl: 'http://127.0.0.1:9',
          clientId: randomUUID(),
          keyId: 'k',
          scopes: ['users:read'],
          startMinimized: false,
          closeToTray: true,
        },
        secrets: { clientSecret: SECRET, privateKeyPem: '-----BEGIN PRIVATE KEY-----x', bridgeToken: SECRET },
      },
    })
    await config.load()
    const handlers = createHandlers({
      api: () =>
        ({
          getUser: async (userId: string) => {
            userIdsSeen.push(userId)
            return { ok: false, error: { kind: 'not_found', status: 404, message: 'no such user' } }
          },
        }) as never,
      config,
      connectivity: () => ({ online: true, since: '2026-01-01T00:00:00.000Z' }),
      confirmFeedBatch: async () => undefined,
      testConnection: async () => ({
        api: { ok: true, outcome: 'connected' as const, users: 1 },
        bridge: { ok: true, outcome: 'connected' as const },
      }),
      appInfo: () => ({ version: '1.0.0', platform: 'linux', transport: 'electron' }),
      reportSyncStatus: () => undefined,
      journal: createMemoryJournal(),
      uploadProof: async () => ({ ok: false, error: { kind: 'not_configured', message: 'no bridge' } }),
    })
    registerHandlers(
      handlers,
      createSenderCheck(() => ours.window as never, RENDERER_URL),
    )
  })

  const invoke = (method: string, input: unknown, event = eventFrom(ours.webContents, ours.mainFrame)) => {
    const listener = registered.get(`outpost:${method}`)
    if (!listener) throw new Error(`nothing registered for ${method}`)
    return listener(event, input)
  }

  it('registers one handler per contract method on its own channel', () => {
    expect([...registered.keys()].sort()).toEqual(IPC_METHODS.map(methodChannel).sort())
  })

  it('passes valid input to the handler and returns the parsed output', async () => {
    const userId = randomUUID()
    await expect(invoke('getUser', { userId })).resolves.toEqual({
      ok: true,
      value: { ok: false, error: { kind: 'not_found', status: 404, message: 'no such user' } },
    })
    expect(userIdsSeen).toEqual([userId])
  })

  it('rejects bad input before any handler runs, naming the field', async () => {
    const result = await invoke('getUser', { userId: '', extra: true })
    expect(result).toMatchObject({ ok: false, failure: { code: 'invalid_input' } })
    expect((result as { failure: { issues: Array<{ path: string }> } }).failure.issues.map((i) => i.path)).toContain('userId')
    await expect(invoke('createUser', { body: { first_name: 'x' }, idempotencyKey: 'not-a-uuid' })).resolves.toMatchObject({
      ok: false,
      failure: { code: 'invalid_input' },
    })
    expect(userIdsSeen).toEqual([])
  })

  it('rejects other senders: another webContents, an iframe, a navigated-away page', async () => {
    const stranger = fakeWindow()
    const denied = { ok: false, failure: { code: 'forbidden_sender' } }
    await expect(invoke('getUser', { userId: randomUUID() }, eventFrom(stranger.webContents, stranger.mainFrame))).resolves.toMatchObject(
      denied,
    )
    await expect(invoke('getUser', { userId: randomUUID() }, eventFrom(ours.webContents, { url: RENDERER_URL }))).resolves.toMatchObject(
      denied,
    )
    await expect(invoke('getSettings', undefined, eventFrom(ours.webContents, null))).resolves.toMatchObject(denied)
    ours.mainFrame.url = 'https://evil.example/'
    try {
      await expect(invoke('getSettings', undefined)).resolves.toMatchObject(denied)
    } finally {
      ours.mainFrame.url = RENDERER_URL
    }
    expect(userIdsSeen).toEqual([])
  })

  it('never lets secrets cross: settings come back with flags only', async () => {
    const result = await invoke('getSettings', undefined)
    expect(JSON.stringify(result)).not.toContain(SECRET)
    expect(result).toMatchObject({ ok: true, value: { hasClientSecret: true, hasPrivateKey: true, hasBridgeToken: true } })
    const saved = await invoke('saveSettings', {
      settings: { apiBaseUrl: 'http://127.0.0.1:8', clientId: randomUUID(), keyId: 'k2', scopes: ['users:read'] },
      secrets: {},
    })
    expect(JSON.stringify(saved)).not.toContain(SECRET)
    expect(saved).toMatchObject({ ok: true, value: { settings: { keyId: 'k2' }, hasClientSecret: true } })
  })

  it('rejects bad settings naming the field', async () => {
    const result = await invoke('saveSettings', { settings: { apiBaseUrl: 'not a url', clientId: randomUUID(), keyId: 'k' }, secrets: {} })
    expect(result).toMatchObject({
      ok: false,
      failure: { code: 'invalid_input', issues: [expect.objectContaining({ path: 'settings.apiBaseUrl' })] },
    })
  })

  it('turns a throwing handler into an internal failure, and a wrong answer into invalid_output', async () => {
    registered.clear()
    registerHandler(
      'readJournal',
      async () => {
        throw new Error('disk gone')
      },
      () => true,
    )
    await expect(invoke('readJournal', { database: 'outpost' })).resolves.toEqual({
      ok: false,
      failure: { code: 'internal', message: 'readJournal failed: disk gone', issues: [] },
    })
    registered.clear()
    registerHandler(
      'getAppInfo',
      async () => ({ version: 1 }) as never,
      () => true,
    )
    await expect(invoke('getAppInfo', undefined)).resolves.toMatchObject({ ok: false, failure: { code: 'invalid_output' } })
  })
})

describe('isRendererUrl', () => {
  it('accepts only our files or our dev server', () => {
    expect(isRendererUrl('file:///app/out/renderer/index.html#/users', RENDERER_URL)).toBe(true)
    expect(isRendererUrl('file:///etc/passwd', RENDERER_URL)).toBe(false)
    expect(isRendererUrl('https://evil.example/', RENDERER_URL)).toBe(false)
    expect(isRendererUrl('http://localhost:5173/settings', 'http://localhost:5173/')).toBe(true)
    expect(isRendererUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
    expect(isRendererUrl('not a url', RENDERER_URL)).toBe(false)
  })
})
