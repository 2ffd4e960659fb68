import { mkdtemp, readFile, rm, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { request } from 'node:http'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebHost, type WebHost } from '../../../electron/webhost'

const CLIENT_SECRET = 'very-secret-client-secret'
const BRIDGE_TOKEN = 'very-secret-bridge-token'
const SETTINGS = {
  apiBaseUrl: 'http://127.0.0.1:9',
  clientId: '408dace2-f80d-4cf1-b3cf-df7699c685c2',
  keyId: 'key-1',
  scopes: ['users:read'],
}

/** Reads SSE frames from a streaming fetch until `predicate` accepts one. */
async function readEvents(
  response: Response,
  predicate: (event: string, data: string) => boolean,
): Promise<{ event: string; data: string }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) throw new Error('stream ended')
    buffer += value
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.*)$/m.exec(frame)?.[1]
      const data = /^data: (.*)$/m.exec(frame)?.[1]
      if (event !== undefined && data !== undefined && predicate(event, data)) {
        await reader.cancel()
        return { event, data }
      }
    }
  }
}

/** fetch cannot set Host; a DNS-rebinding page would arrive with its own name in it. */
function statusWithHost(port: number, hostHeader: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/ipc/getSettings', method: 'POST', headers: { host: hostHeader } }, (res) => {
      res.resume()
      resolve(res.statusCode)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('web host', () => {
  let host: WebHost
  let rendererDir: string
  const call = (method: string, input?: unknown, token = host.token) =>
    fetch(`${host.origin}/ipc/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: input === undefined ? '' : JSON.stringify(input),
    })

  beforeAll(async () => {
    rendererDir = await mkdtemp(join(tmpdir(), 'outpost-renderer-'))
    await mkdir(join(rendererDir, 'assets'))
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Outpost</title>')
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
    await writeFile(join(rendererDir, 'assets', 'UsersView-Bx1_2c-D.js'), 'console.log(2)')
    host = await startWebHost({ rendererDir, config: null })
  })

  afterAll(async () => {
    await host?.close()
    await rm(rendererDir, { recursive: true, force: true })
  })

  it('gives the token in the URL fragment and serves the renderer with a strict CSP', async () => {
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`)
    const page = await fetch(`${host.origin}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toContain('<title>Outpost</title>')
    expect((await fetch(`${host.origin}/assets/app.js`)).headers.get('content-type')).toContain('javascript')
    expect((await fetch(`${host.origin}/some/route`)).status).toBe(200)
    // The build's hashed files are kept by the browser (a reload runs them from its code cache);
    // the page itself and unhashed files are asked for again.
    expect((await fetch(`${host.origin}/assets/UsersView-Bx1_2c-D.js`)).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    )
    expect((await fetch(`${host.origin}/assets/app.js`)).headers.get('cache-control')).toBe('no-cache')
    expect(page.headers.get('cache-control')).toBe('no-store')
    const outside = `${rendererDir}-outside.txt`
    await writeFile(outside, 'outside the renderer dir')
    try {
      const escape = await fetch(`${host.origin}/..%2f${basename(outside)}`)
      expect(await escape.text()).not.toContain('outside the renderer dir')
    } finally {
      await rm(outside, { force: true })
    }
  })

  it('refuses calls without the run token or from a foreign Host', async () => {
    expect((await call('getSettings', undefined, 'wrong')).status).toBe(401)
    expect((await fetch(`${host.origin}/events?token=wrong`)).status).toBe(401)
    expect(await statusWithHost(host.port, 'evil.example')).toBe(421)
    expect(
      (
        await fetch(`${host.origin}/ipc/getSettings`, {
          method: 'POST',
          headers: { authorization: `Bearer ${host.token}`, 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(415)
  })

  it('answers 413 to a body over its cap instead of resetting the connection', async () => {
    const oversized = JSON.stringify({ userId: 'x'.repeat(3 * 1024 * 1024) })
    const response = await fetch(`${host.origin}/ipc/getUser`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      body: oversized,
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ ok: false, failure: { message: 'body too large' } })
    // The host still serves the next call.
    expect((await call('getUser', { userId: '' })).status).toBe(200)
  })

  it('validates input with the contract', async () => {
    const response = await call('getUser', { userId: '' })
    const body = (await response.json()) as { ok: boolean; failure: { code: string; issues: Array<{ path: string }> } }
    expect(body.ok).toBe(false)
    expect(body.failure.code).toBe('invalid_input')
    expect(body.failure.issues[0]?.path).toBe('userId')
    expect((await call('noSuchMethod')).status).toBe(404)
  })

  it('answers not_configured API results until settings exist', async () => {
    const body = (await (await call('getUser', { userId: 'abc' })).json()) as unknown
    expect(body).toMatchObject({ ok: true, value: { ok: false, error: { kind: 'not_configured' } } })
  })

  it('stores secrets but never sends them back', async () => {
    const saved = await call('saveSettings', { settings: SETTINGS, secrets: { clientSecret: CLIENT_SECRET, bridgeToken: BRIDGE_TOKEN } })
    const savedText = await saved.text()
    expect(savedText).not.toContain(CLIENT_SECRET)
    expect(JSON.parse(savedText)).toMatchObject({ ok: true, value: { hasClientSecret: true, hasBridgeToken: true, hasPrivateKey: false } })
    const read = await (await call('getSettings')).text()
    expect(read).not.toContain(CLIENT_SECRET)
    expect(read).not.toContain(BRIDGE_TOKEN)
    expect(JSON.parse(read)).toMatchObject({ ok: true, value: { settings: { apiBaseUrl: SETTINGS.apiBaseUrl } } })
    expect(await readFile(join(host.dataDir, 'settings.json'), 'utf8')).not.toContain(CLIENT_SECRET)
  })

  it('pushes events over SSE to connected pages', async () => {
    const stream = await fetch(`${host.origin}/events?token=${host.token}`)
    expect(stream.headers.get('content-type')).toContain('text/event-stream')
    const ready = readEvents(stream, (event) => event === 'ready' || event === 'syncRequested')
    await expect(ready).resolves.toMatchObject({ event: 'ready' })
    const stream2 = await fetch(`${host.origin}/events?token=${host.token}`)
    const synced = readEvents(stream2, (event) => event === 'syncRequested')
    host.runtime.requestSync('menu')
    await expect(synced).resolves.toEqual({ event: 'syncRequested', data: '{"source":"menu"}' })
  })
})
