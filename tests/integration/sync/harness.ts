/**
 * Drives the real sync engine against the real simulator through the real API client (no
 * Electron): the simulator on an ephemeral port, a webhook receiver subscribed for USER
 * events, and a transport adapter from the API client to the IPC-shaped interface.
 */
import { WebhookBodySchema, type UserEvent } from '../../../shared/schemas'
import { safeParseUnknown } from '../../../shared/parse'
import type { FeedBatch } from '../../../shared/ipc/contract'
import { clientConfigForDemo, createApiClient, type ApiClient } from '../../../shared/node/api'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../server/sandbox'
import type { SyncTransport } from '../../../renderer/src/sync/transport'
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver'

/** Small simulator delays: the whole lifecycle in milliseconds. */
export const FAST_SANDBOX: SandboxOptions = {
  dataChangeDelayMs: 40,
  offboardDelayMs: 80,
  webhookDelayMs: 10,
  webhookRetryBaseMs: 20,
  webhookRetryMaxMs: 200,
  timeoutAfterCommitHoldMs: 100,
}

export interface SyncWorld {
  readonly sandbox: Sandbox
  readonly api: ApiClient
  readonly transport: SwitchableTransport
  readonly receiver: WebhookReceiver
  /** Events delivered by webhook since the last call, as one feed batch (null: none). */
  takeFeedBatch(): FeedBatch | null
  /** Every event delivered so far, in delivery order. */
  allEvents(): UserEvent[]
  faults(patch: Record<string, unknown>): Promise<void>
  admin(method: string, path: string, body?: unknown): Promise<unknown>
  close(): Promise<void>
}

export type SwitchableTransport = SyncTransport & {
  /** false: every call fails as the network would (connection refused), nothing reaches the API. */
  online: boolean
  confirmed: string[]
}

const NETWORK_DOWN = {
  ok: false as const,
  error: { kind: 'transient' as const, reason: 'network' as const, message: 'offline (test switch)' },
}

/** The API client behind the IPC-shaped interface the engine takes (what main's handlers do). */
export function apiTransport(api: ApiClient): SwitchableTransport {
  const confirmed: string[] = []
  const t: SwitchableTransport = {
    online: true,
    confirmed,
    createUser: async ({ body, idempotencyKey }) => (t.online ? api.createUser(body as never, idempotencyKey) : NETWORK_DOWN),
    getUser: async ({ userId }) => (t.online ? api.getUser(userId) : NETWORK_DOWN),
    listUsers: async (query) => (t.online ? api.listUsers(query as never) : NETWORK_DOWN),
    requestDataChange: async ({ userId, body }) => (t.online ? api.requestDataChange(userId, body as never) : NETWORK_DOWN),
    offboardUser: async ({ userId }) => (t.online ? api.offboardUser(userId) : NETWORK_DOWN),
    confirmFeedBatch: async ({ cursor }) => {
      confirmed.push(cursor)
      return null
    },
  }
  return t
}

export async function startSyncWorld(options: SandboxOptions = {}): Promise<SyncWorld> {
  const sandbox = await startSandbox({ ...FAST_SANDBOX, ...options })
  const api = createApiClient({ ...clientConfigForDemo(sandbox.url, sandbox.devClient), timeoutMs: 2_000 })
  const receiver = await startWebhookReceiver()
  const created = await api.createWebhook({
    title: 'sync tests',
    url: receiver.url,
    type: ['USER'],
    config: { delay: '1s', max_package_size: 1_048_576 },
  })
  if (!created.ok) throw new Error(`webhook subscription failed: ${created.error.message}`)
  const enabled = await api.updateWebhook(created.value.id, { enabled: true })
  if (!enabled.ok) throw new Error(`webhook enable failed: ${enabled.error.message}`)

  let taken = 0
  const eventsOf = (from: number): UserEvent[] =>
    receiver.deliveries.slice(from).flatMap((d) => {
      const parsed = safeParseUnknown(WebhookBodySchema, JSON.parse(d.body) as unknown)
      return parsed.ok ? parsed.value.payload : []
    })
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: { 'x-sandbox-admin-token': sandbox.adminToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return text === '' ? undefined : (JSON.parse(text) as unknown)
  }
  return {
    sandbox,
    api,
    transport: apiTransport(api),
    receiver,
    takeFeedBatch() {
      const until = receiver.deliveries.length
      if (until === taken) return null
      const events = eventsOf(taken).slice()
      taken = until
      return { cursor: `d${until}`, events }
    },
    allEvents: () => eventsOf(0),
    faults: async (patch) => void (await admin('PATCH', '/faults', patch)),
    admin,
    async close() {
      await sandbox.close()
      await receiver.close()
    },
  }
}

/** Every user on the simulator (paged). */
export async function allServerUsers(api: ApiClient) {
  const users = []
  for (let offset = 0; ; offset += 1000) {
    const page = await api.listUsers({ offset, limit: 1000 })
    if (!page.ok) throw new Error(page.error.message)
    users.push(...page.value.data)
    if (page.value.data.length < 1000) return users
  }
}
