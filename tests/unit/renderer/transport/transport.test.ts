import { afterEach, describe, expect, it, vi } from 'vitest'
import type { OutpostBridge } from '../../../../shared/ipc/bridge'
import {
  createPreloadTransport,
  createWebTransport,
  IpcCallError,
  takeRunToken,
  type EventSourceLike,
  type OutpostTransport,
} from '../../../../renderer/src/transport'
import type { SyncTransport } from '../../../../renderer/src/sync/transport'

// The app hands getTransport() to the sync engine: the types must fit without an adapter.
const fitsSyncEngine = (transport: OutpostTransport): SyncTransport => transport

const SETTINGS = { settings: null, hasClientSecret: false, hasPrivateKey: false, hasBridgeToken: false }
const ONLINE = { online: true, since: '2026-01-01T00:00:00.000Z' }

/** Answers web-host calls from a table and records what the transport sent. */
function hostFetch(answers: Record<string, unknown>) {
  const sent: Array<{ url: string; authorization: string | null; body: string }> = []
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    sent.push({ url, authorization: new Headers(init?.headers).get('authorization'), body: String(init?.body ?? '') })
    const method = url.split('/ipc/')[1] ?? ''
    return new Response(
      JSON.stringify(answers[method] ?? { ok: false, failure: { code: 'invalid_input', message: 'unknown', issues: [] } }),
      { headers: { 'content-type': 'application/json' } },
    )
  }
  return { fetchImpl: fetchImpl as typeof fetch, sent }
}

class ManualEventSource implements EventSourceLike {
  static opened: ManualEventSource[] = []
  readonly listeners = new Map<string, Set<(event: { data?: unknown }) => void>>()
  closed = false
  constructor(readonly url: string) {
    ManualEventSource.opened.push(this)
  }
  addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set())
    this.listeners.get(type)?.add(listener)
  }
  removeEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    this.listeners.get(type)?.delete(listener)
  }
  close() {
    this.closed = true
  }
  emit(type: string, data: string) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data })
  }
}

describe('web transport', () => {
  afterEach(() => {
    ManualEventSource.opened = []
  })

  it('calls /ipc/<method> with the token and returns the parsed output', async () => {
    const { fetchImpl, sent } = hostFetch({ getSettings: { ok: true, value: SETTINGS }, getConnectivity: { ok: true, value: ONLINE } })
    const transport = createWebTransport({ baseUrl: 'http://host', token: 'tok', fetch: fetchImpl })
    expect(fitsSyncEngine(transport)).toBe(transport)
    await expect(transport.getSettings()).resolves.toEqual(SETTINGS)
    await expect(transport.getConnectivity()).resolves.toEqual(ONLINE)
    expect(sent[0]).toEqual({ url: 'http://host/ipc/getSettings', authorization: 'Bearer tok', body: '' })
    expect(transport.kind).toBe('web')
  })

  it('throws IpcCallError for failures and for answers that break the contract', async () => {
    const { fetchImpl, sent } = hostFetch({
      getUser: {
        ok: false,
        failure: { code: 'invalid_input', message: 'getUser: invalid input', issues: [{ path: 'userId', message: 'too short' }] },
      },
      getConnectivity: { ok: true, value: { online: 'yes' } },
    })
    const transport = createWebTransport({ baseUrl: '', token: 't', fetch: fetchImpl })
    const failure = await transport.getUser({ userId: 'x' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(IpcCallError)
    expect((failure as IpcCallError).failure.code).toBe('invalid_input')
    expect(sent[0]?.body).toBe('{"userId":"x"}')
    await expect(transport.getConnectivity()).rejects.toMatchObject({ failure: { code: 'invalid_output' } })
  })

  it('delivers parsed pushes from one shared event stream and closes it with the last subscriber', () => {
    const transport = createWebTransport({ baseUrl: '', token: 'a b', createEventSource: (url) => new ManualEventSource(url) })
    const seen: unknown[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const offConnectivity = transport.on('connectivityChanged', (state) => seen.push(state))
    const offSync = transport.on('syncRequested', (request) => seen.push(request))
    expect(ManualEventSource.opened).toHaveLength(1)
    const source = ManualEventSource.opened[0]!
    expect(source.url).toBe('/events?token=a%20b')
    source.emit('connectivityChanged', JSON.stringify(ONLINE))
    source.emit('connectivityChanged', JSON.stringify({ online: 'nope' }))
    source.emit('syncRequested', '{"source":"menu"}')
    expect(seen).toEqual([ONLINE, { source: 'menu' }])
    expect(warn).toHaveBeenCalledOnce()
    offConnectivity()
    expect(source.closed).toBe(false)
    offSync()
    expect(source.closed).toBe(true)
    warn.mockRestore()
  })
})

describe('preload transport', () => {
  it('unwraps the preload’s envelopes and parses pushes', async () => {
    let pushed: ((payload: unknown) => void) | undefined
    const bridge = {
      getAppInfo: async () => ({ ok: true, value: { version: '1.2.3', platform: 'linux', transport: 'electron' } }),
      on: (_event: string, handler: (payload: unknown) => void) => {
        pushed = handler
        return () => undefined
      },
    } as unknown as OutpostBridge
    const transport = createPreloadTransport(bridge)
    await expect(transport.getAppInfo()).resolves.toEqual({ version: '1.2.3', platform: 'linux', transport: 'electron' })
    const seen: unknown[] = []
    transport.on('reconcileRequired', (payload) => seen.push(payload))
    pushed?.({ reason: 'cursor_compacted' })
    expect(seen).toEqual([{ reason: 'cursor_compacted' }])
    expect(transport.kind).toBe('electron')
  })
})

describe('takeRunToken', () => {
  it('reads #token= once, keeps it for reloads and removes it from the address bar', () => {
    window.history.replaceState(null, '', '/#token=secret-run-token')
    expect(takeRunToken()).toBe('secret-run-token')
    expect(window.location.hash).toBe('')
    expect(takeRunToken()).toBe('secret-run-token')
  })
})
