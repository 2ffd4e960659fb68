/**
 * Starts the simulator for a test file with fast delays, the demo client plus a P-521
 * client and a read-only client, and small helpers for the `/__sandbox/` admin surface.
 */
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto'
import { generateSigningKeyPair, type KeyKind } from '../../shared/node/http-signature'
import type { DevClient } from '../../server/sandbox/dev-client'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../server/sandbox/index'
import type { Scope } from '../../shared/schemas'
import { createSandboxClient, type SandboxClient } from './sandbox-client'

export function makeClient(kind: KeyKind, scopes: readonly Scope[]): DevClient {
  const pair = generateSigningKeyPair(kind)
  const privateKey = createPrivateKey(pair.privateKeyPem)
  return {
    clientId: randomUUID(),
    clientSecret: `secret-${randomUUID()}`,
    keyId: randomUUID(),
    scopes,
    privateKeyPem: pair.privateKeyPem,
    privateKey,
    publicKey: createPublicKey(privateKey),
  }
}

export interface TestSandbox {
  readonly sandbox: Sandbox
  /** The demo client from dev-client.json (Ed25519, all scopes). */
  readonly client: SandboxClient
  readonly p521: SandboxClient
  readonly readOnly: SandboxClient
  readonly p521Identity: DevClient
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>
  close(): Promise<void>
}

/** Delays small enough for tests, large enough to observe OFFBOARDING before OFFBOARDED. */
export const FAST: SandboxOptions = {
  offboardDelayMs: 200,
  dataChangeDelayMs: 200,
  webhookDelayMs: 20,
  webhookRetryBaseMs: 20,
  webhookRetryMaxMs: 200,
  timeoutAfterCommitHoldMs: 50,
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const p521Identity = makeClient('p521', ['users:read', 'users:admin', 'webhooks:read', 'webhooks:admin'])
  const readOnlyIdentity = makeClient('ed25519', ['users:read'])
  const sandbox = await startSandbox({
    ...FAST,
    ...options,
    extraClients: [p521Identity, readOnlyIdentity, ...(options.extraClients ?? [])],
  })
  return {
    sandbox,
    client: createSandboxClient(sandbox.url, sandbox.devClient),
    p521: createSandboxClient(sandbox.url, p521Identity),
    readOnly: createSandboxClient(sandbox.url, readOnlyIdentity),
    p521Identity,
    async admin(method, path, body) {
      const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
        method,
        headers: { 'x-sandbox-admin-token': sandbox.adminToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) }
    },
    close: () => sandbox.close(),
  }
}

/** A valid plain create body; `overrides` replace top-level fields. */
export function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    first_name: 'Jana',
    last_name: 'Schröder',
    salutation: 'SALUTATION_FEMALE',
    birth_date: '1988-04-12',
    birth_city: 'Leipzig',
    birth_country: 'DE',
    nationalities: ['DE'],
    address: { address_line1: 'Karl-Liebknecht-Straße 12', postcode: '04107', city: 'Leipzig', country: 'DE' },
    ...overrides,
  }
}
