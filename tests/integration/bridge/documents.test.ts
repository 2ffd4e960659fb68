import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type RunningBridge } from '../../../server/bridge/index'
import type { Sandbox } from '../../../server/sandbox/index'
import { startSandboxWithKnownKey, waitFor } from './support'

const MAX_DOCUMENT_BYTES = 64 * 1024
const TTL_MS = 1_500
const PUBLIC_URL = 'https://bridge.example.com/outpost'

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)])
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 9)])

interface Uploaded {
  readonly url: string
  readonly content_type: string
  readonly bytes: number
  readonly expires_at: string
}

describe('proof documents (real SQLite)', () => {
  let dir: string
  let sandbox: Sandbox
  let bridge: RunningBridge

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-docs-'))
    ;({ sandbox } = await startSandboxWithKnownKey(dir))
    bridge = await startBridge({
      dataDir: join(dir, 'bridge'),
      apiUrl: sandbox.url,
      apiCredentials: sandbox.devClient,
      bootstrap: false,
      publicUrl: PUBLIC_URL,
      maxDocumentBytes: MAX_DOCUMENT_BYTES,
      documentTtlMs: TTL_MS,
      logLevel: 'silent',
    })
  })
  afterAll(async () => {
    await bridge?.close()
    await sandbox?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const upload = (body: Buffer, token: string | null = bridge.clientToken, contentType = 'application/octet-stream') =>
    fetch(`${bridge.url}/documents`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body,
    })
  /** The link is public (behind the proxy); here the same path is asked of the bridge directly. */
  const localOf = (link: string): string => `${bridge.url}${new URL(link).pathname.replace(/^\/outpost/, '')}`

  it('stores PDF, JPEG and PNG and serves each at an unguessable https link without a token', async () => {
    for (const [file, type] of [
      [PDF, 'application/pdf'],
      [JPEG, 'image/jpeg'],
      [PNG, 'image/png'],
    ] as const) {
      const response = await upload(file)
      expect(response.status).toBe(201)
      const uploaded = (await response.json()) as Uploaded
      expect(uploaded).toMatchObject({ content_type: type, bytes: file.length })
      expect(uploaded.url).toMatch(/^https:\/\/bridge\.example\.com\/outpost\/documents\/[A-Za-z0-9_-]{43}$/)
      const expiresIn = Date.parse(uploaded.expires_at) - Date.now()
      expect(expiresIn).toBeGreaterThan(0)
      expect(expiresIn).toBeLessThanOrEqual(TTL_MS)
      const served = await fetch(localOf(uploaded.url))
      expect(served.status).toBe(200)
      expect(served.headers.get('content-type')).toBe(type)
      expect(Buffer.from(await served.arrayBuffer()).equals(file)).toBe(true)
    }
  })

  it('refuses other files by their bytes (whatever the content-type says), no token, and files over the cap', async () => {
    const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'), bridge.clientToken, 'application/pdf')
    expect(html.status).toBe(415)
    expect(await html.json()).toMatchObject({ type: 'urn:outpost:bridge:unsupported_document' })
    expect((await upload(Buffer.alloc(0))).status).toBe(415)
    expect((await upload(PDF, null)).status).toBe(401)
    expect((await upload(PDF, 'wrong-token')).status).toBe(401)
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_DOCUMENT_BYTES, 0x20)])
    expect((await upload(big)).status).toBe(413)
    expect((await fetch(`${bridge.url}/documents/${'A'.repeat(43)}`)).status).toBe(404)
    expect((await fetch(`${bridge.url}/documents/not-a-capability`)).status).toBe(404)
  })

  it('stops serving a document once it expired, and deletes it', async () => {
    const uploaded = (await (await upload(PNG)).json()) as Uploaded
    expect((await fetch(localOf(uploaded.url))).status).toBe(200)
    await waitFor('the link to expire', async () => ((await fetch(localOf(uploaded.url))).status === 404 ? true : undefined), 10_000)
    const health = (await (await fetch(`${bridge.url}/health`)).json()) as { status: string }
    expect(health.status).toBe('ok')
  })
})
