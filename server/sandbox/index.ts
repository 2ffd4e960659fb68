/**
 * `startSandbox(options)`: the local Users API simulator on loopback. Builds the parts
 * (stores, auth, lifecycle, webhook dispatcher, fault switches), loads or seeds state,
 * listens, and returns the URL, the demo client and `close()`.
 */
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { generateSigningKeyPair, publicJwkFromKey, type EcPublicJwk } from '../../shared/node/http-signature'
import { buildApp } from './app'
import { AuthService } from './auth'
import { createClock } from './clock'
import type { SandboxContext } from './context'
import { DeliveryLog } from './delivery-log'
import { generateDemoUsers } from './demo-users'
import { DEFAULT_DEV_CLIENT_PATH, loadDevClient, type DevClient } from './dev-client'
import { WebhookDispatcher } from './dispatcher'
import { FaultSwitches } from './faults'
import { IdempotencyStore } from './idempotency'
import { Lifecycle } from './lifecycle'
import { resolveOptions, type SandboxOptions } from './options'
import { createRandom } from './random'
import { readStateFile, savedChangesOf, writeStateFile } from './state-file'
import { SubscriptionStore } from './subscriptions'
import { UserStore } from './user-store'

export type { SandboxOptions } from './options'
export { loadDevClient, DEFAULT_DEV_CLIENT_PATH, type DevClient } from './dev-client'

const STATE_SAVE_DEBOUNCE_MS = 250
const IDEMPOTENCY_PRUNE_INTERVAL_MS = 60_000

export interface Sandbox {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string
  readonly port: number
  /** The demo client the simulator registered (from `devClientPath`). */
  readonly devClient: DevClient
  readonly devClientPath: string
  /** The key id and public JWK webhook deliveries are signed with. */
  readonly webhookKeyId: string
  readonly webhookPublicJwk: EcPublicJwk
  /** Send as `x-sandbox-admin-token` on `/__sandbox/` calls (or send JSON without a foreign Origin). */
  readonly adminToken: string
  close(): Promise<void>
}

function webhookKeyFrom(stateKey: { key_id: string; private_key_pem: string } | undefined): {
  keyId: string
  privateKey: KeyObject
  pem: string
} {
  if (stateKey !== undefined)
    return { keyId: stateKey.key_id, privateKey: createPrivateKey(stateKey.private_key_pem), pem: stateKey.private_key_pem }
  const pair = generateSigningKeyPair('p521')
  return { keyId: randomUUID(), privateKey: createPrivateKey(pair.privateKeyPem), pem: pair.privateKeyPem }
}

export async function startSandbox(input: SandboxOptions = {}): Promise<Sandbox> {
  const options = resolveOptions(input, DEFAULT_DEV_CLIENT_PATH)
  const devClient = loadDevClient(options.devClientPath)
  const saved = options.stateFile === undefined ? undefined : readStateFile(options.stateFile)
  const webhookKey = webhookKeyFrom(saved?.webhook_key)
  const closing = new AbortController()
  const clock = createClock()
  const users = new UserStore()
  const subscriptions = new SubscriptionStore(clock)
  const deliveries = new DeliveryLog()
  const random = createRandom(options.prngSeed)
  const dispatcher = new WebhookDispatcher({
    signingKey: webhookKey.privateKey,
    keyId: webhookKey.keyId,
    clock,
    log: deliveries,
    subscriptions,
    delayOverrideMs: options.webhookDelayMs,
    retryBaseMs: options.webhookRetryBaseMs,
    retryMaxMs: options.webhookRetryMaxMs,
    attemptTimeoutMs: options.webhookAttemptTimeoutMs,
    signatureFormat: options.webhookSignatureFormat,
  })

  let saveTimer: NodeJS.Timeout | undefined
  const save = () => {
    if (options.stateFile === undefined) return
    writeStateFile(options.stateFile, {
      webhookKeyId: webhookKey.keyId,
      webhookKeyPem: webhookKey.pem,
      users: users.all(),
      subscriptions: subscriptions.list(),
      pendingDataChanges: lifecycle.savedChanges(),
    })
  }
  const changed = () => {
    if (options.stateFile === undefined || saveTimer !== undefined) return
    saveTimer = setTimeout(() => {
      saveTimer = undefined
      save()
    }, STATE_SAVE_DEBOUNCE_MS)
  }

  const lifecycle = new Lifecycle({
    users,
    clock,
    publish: (events) => dispatcher.publish(events),
    onChange: changed,
    offboardDelayMs: options.offboardDelayMs,
    dataChangeDelayMs: options.dataChangeDelayMs,
  })
  const idempotency = new IdempotencyStore()
  const context: SandboxContext = {
    options,
    clock,
    users,
    subscriptions,
    idempotency,
    auth: new AuthService([devClient, ...options.extraClients], options.tokenTtlSeconds),
    lifecycle,
    dispatcher,
    deliveries,
    faults: new FaultSwitches(() => random.next()),
    webhookKey: { keyId: webhookKey.keyId, privateKey: webhookKey.privateKey },
    closing: closing.signal,
    inFlightCreates: 0,
    reset(count, prngSeed) {
      lifecycle.reset()
      dispatcher.clearQueues()
      users.clear()
      subscriptions.clear()
      idempotency.clear()
      deliveries.clear()
      context.faults.reset()
      users.bulkLoad(generateDemoUsers(count, prngSeed ?? options.prngSeed))
      changed()
    },
    changed,
  }

  if (saved !== undefined) {
    users.bulkLoad(saved.users)
    subscriptions.load(saved.subscriptions)
    for (const user of saved.users) if (user.status === 'OFFBOARDING') lifecycle.scheduleOffboarded(user.id)
    for (const change of savedChangesOf(saved)) lifecycle.restoreChange(change)
  } else {
    users.bulkLoad(generateDemoUsers(options.seed, options.prngSeed))
  }

  const app = buildApp(context)
  await app.listen({ port: options.port, host: options.host })
  const address = app.server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  const pruneTimer = setInterval(() => idempotency.prune(), IDEMPOTENCY_PRUNE_INTERVAL_MS)
  pruneTimer.unref()

  let closed: Promise<void> | undefined
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    devClient,
    devClientPath: options.devClientPath,
    webhookKeyId: webhookKey.keyId,
    webhookPublicJwk: publicJwkFromKey(webhookKey.privateKey, webhookKey.keyId),
    adminToken: options.adminToken,
    close() {
      closed ??= (async () => {
        closing.abort()
        clearInterval(pruneTimer)
        if (saveTimer !== undefined) clearTimeout(saveTimer)
        // Timers stop, pending changes stay: the last save keeps them for the next start.
        lifecycle.stopTimers()
        dispatcher.close()
        await app.close()
        save()
      })()
      return closed
    },
  }
}
