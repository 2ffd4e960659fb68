/**
 * Test helpers for the bridge suites: a simulator whose webhook signing key the test
 * knows (seeded through its state file), deliveries signed exactly as the API signs them,
 * valid events, and feed reads. Real HTTP on loopback throughout.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  contentDigestSha512,
  digestSha256,
  generateSigningKeyPair,
  signatureBase06,
  signatureBase15,
  signRequest,
  signWebhook,
} from '../../../shared/node/http-signature'
import { generateDemoUsers } from '../../../server/sandbox/demo-users'
import { startSandbox, type Sandbox } from '../../../server/sandbox/index'
import type { UserEvent } from '../../../shared/schemas'

export interface WebhookKey {
  readonly keyId: string
  readonly privateKey: KeyObject
}

/** A simulator that signs deliveries with a key made here, so tests can sign (and mis-sign) too. */
export async function startSandboxWithKnownKey(dir: string): Promise<{ sandbox: Sandbox; webhookKey: WebhookKey }> {
  const pair = generateSigningKeyPair('p521')
  const keyId = randomUUID()
  const stateFile = join(dir, 'sandbox-state.json')
  writeFileSync(
    stateFile,
    JSON.stringify({ version: 1, webhook_key: { key_id: keyId, private_key_pem: pair.privateKeyPem }, users: [], subscriptions: [] }),
  )
  const sandbox = await startSandbox({ stateFile, webhookDelayMs: 5, webhookRetryBaseMs: 50, webhookRetryMaxMs: 200 })
  return { sandbox, webhookKey: { keyId, privateKey: createPrivateKey(pair.privateKeyPem) } }
}

const [demoUser] = generateDemoUsers(1, 7)
if (demoUser === undefined) throw new Error('no demo user')

export function userEvent(overrides: Partial<{ id: string; created_at: string }> = {}): UserEvent {
  return {
    id: overrides.id ?? randomUUID(),
    created_at: overrides.created_at ?? new Date().toISOString(),
    type: 'USER.CREATED',
    object: demoUser!,
    webhook_id: '2b0f6a55-8d93-4bd4-9c3f-6f2f2d1f0a10',
  }
}

export interface SignOptions {
  readonly key: WebhookKey
  /** Unix seconds; default now. */
  readonly created?: number
  readonly expiresInSeconds?: number
  readonly format?: 'draft-06' | 'draft-15'
}

/** Headers for a delivery of `body` to `url`, signed as the API does (draft 06 unless told). */
export function signDelivery(url: string, body: string, options: SignOptions): Record<string, string> {
  const headers = { 'content-type': 'application/json' }
  const input = {
    method: 'POST',
    url,
    headers,
    body,
    keyId: options.key.keyId,
    privateKey: options.key.privateKey,
    created: options.created,
    expiresInSeconds: options.expiresInSeconds,
  }
  const signed = options.format === 'draft-15' ? signRequest(input) : signWebhook(input)
  return { ...headers, ...signed }
}

/**
 * Headers for a delivery signed with the genuine key but covering only `components`: what a
 * relay that can re-sign a captured body (but not choose its path or method) would send.
 */
export function signDeliveryCovering(
  url: string,
  body: string,
  components: readonly string[],
  options: SignOptions,
): Record<string, string> {
  const draft15 = options.format === 'draft-15'
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (draft15) headers['content-digest'] = contentDigestSha512(body)
  else headers.digest = digestSha256(body)
  const created = options.created ?? Math.floor(Date.now() / 1000)
  const list = components.map((c) => `"${c}"`).join(' ')
  const rawParams = `(${list});keyid="${options.key.keyId}";created=${created};expires=${created + 300};nonce="${randomUUID()}"`
  const baseInput = { components, rawParams, method: 'POST', url: new URL(url).pathname, headers: new Map(Object.entries(headers)) }
  const base = draft15 ? signatureBase15(baseInput) : signatureBase06(baseInput)
  if (typeof base !== 'string') throw new Error(`cannot sign: ${base.missing} has no value`)
  const signature = sign('sha512', Buffer.from(base, 'utf8'), options.key.privateKey).toString('base64')
  return { ...headers, 'signature-input': `sig1=${rawParams}`, signature: `sig1=:${signature}:` }
}

export async function deliver(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: 'POST', headers, body })
  const text = await response.text()
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

export async function deliverSigned(
  url: string,
  events: readonly UserEvent[],
  key: WebhookKey,
): Promise<{ status: number; json: unknown }> {
  const body = JSON.stringify({ payload: events })
  return deliver(url, body, signDelivery(url, body, { key }))
}

export interface FeedAnswer {
  readonly status: number
  readonly contentType: string | null
  readonly body: { events?: Array<{ id: string }>; next_cursor?: string; head_cursor?: string; detail?: string }
}

export async function readFeed(
  bridgeUrl: string,
  token: string,
  query: { after?: string; limit?: number; wait?: number } = {},
  signal?: AbortSignal,
): Promise<FeedAnswer> {
  const params = new URLSearchParams()
  if (query.after !== undefined) params.set('after', query.after)
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  if (query.wait !== undefined) params.set('wait', String(query.wait))
  const response = await fetch(`${bridgeUrl}/events?${params}`, { headers: { authorization: `Bearer ${token}` }, signal })
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as FeedAnswer['body'] }
}

/** Polls a condition (not a sleep-as-synchronisation: it waits for a state, with a deadline). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export interface CliBridge {
  readonly url: string
  readonly token: string
  readonly child: ChildProcess
  /** Resolves with the exit signal once the process is gone. */
  readonly exited: Promise<NodeJS.Signals | null>
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CLI = join(REPO_ROOT, 'server', 'bridge', 'cli.ts')
/** Generous: tsx compiles the CLI at start, which takes long on a busy 2-core machine. */
const CLI_START_TIMEOUT_MS = 90_000

/** Runs `server/bridge/cli.ts` as its own process (node + tsx loader), resolved once it printed its token. */
export function startCliBridge(args: readonly string[]): Promise<CliBridge> {
  // Plain node with the tsx loader, so the signal reaches the bridge itself and not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => fail(new Error(`bridge CLI did not start in time\n${stdout}\n${stderr}`)), CLI_START_TIMEOUT_MS)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const onEarlyExit = (code: number | null): void => fail(new Error(`bridge CLI exited with ${code}\n${stdout}\n${stderr}`))
    child.once('exit', onEarlyExit)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const url = /^outpost bridge: (\S+)$/m.exec(stdout)?.[1]
      const token = /^client token: (\S+)$/m.exec(stdout)?.[1]
      if (url === undefined || token === undefined) return
      clearTimeout(timer)
      child.off('exit', onEarlyExit)
      resolve({ url, token, child, exited })
    })
  })
}
