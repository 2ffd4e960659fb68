/**
 * `startBridge(options)`: the webhook bridge as a library (the CLI, `npm start` and the
 * tests all use it). Opens the store, fetches verify keys through the app's API client,
 * serves receiver, feed and health, compacts on a timer, optionally ensures the API
 * subscription, and closes everything it opened.
 */
import { dirname, join } from 'node:path'
import { createApiClient } from '../../shared/node/api'
import { createBridgeApp } from './app'
import { createBearerCheck } from './bearer-auth'
import { ensureSubscription, receiverUrl, type SubscriptionAction } from './bootstrap/ensure-subscription'
import { resolveClientToken } from './client-token'
import {
  BRIDGE_API_SCOPES,
  DB_FILE_NAME,
  DEFAULT_COMPACTION_INTERVAL_MS,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_WAIT_SECONDS,
  DEFAULT_RECEIVER_PATH,
  DEFAULT_REPLAY_WINDOW_SECONDS,
  DEFAULT_RETENTION,
  type BridgeOptions,
} from './config'
import { registerFeedRoute } from './feed/feed-route'
import { createNotifier } from './feed/notifier'
import { registerHealthRoute } from './health-route'
import { registerReceiverRoute } from './receiver/receiver-route'
import { createVerifyKeyCache } from './receiver/verify-key-cache'
import type { CompactionResult, EventStore, RetentionPolicy } from './storage/event-store'
import { openSqliteEventStore } from './storage/sqlite-event-store'

export type { BridgeOptions, ApiCredentials } from './config'
export type { EventStore, RetentionPolicy } from './storage/event-store'
export { openSqliteEventStore } from './storage/sqlite-event-store'

export type SubscriptionState =
  | { readonly state: 'not_requested' }
  | { readonly state: 'ok'; readonly action: SubscriptionAction; readonly id: string; readonly url: string }
  | { readonly state: 'failed'; readonly detail: string }

export interface RunningBridge {
  /** Base URL, e.g. `http://127.0.0.1:4020`; the feed is `${url}/events`. */
  readonly url: string
  /** Full URL of the webhook receiver on this host. */
  readonly receiverUrl: string
  readonly clientToken: string
  readonly dbFile: string
  readonly subscription: SubscriptionState
  /** Runs a compaction now (the timer does it hourly). */
  compactNow(): Promise<CompactionResult>
  close(): Promise<void>
}

const BOOTSTRAP_RETRY_INITIAL_MS = 5_000
const BOOTSTRAP_RETRY_MAX_MS = 5 * 60_000

function resolveFiles(options: BridgeOptions): { dataDir: string; dbFile: string } {
  if (options.dbFile !== undefined) return { dataDir: options.dataDir ?? dirname(options.dbFile), dbFile: options.dbFile }
  if (options.dataDir !== undefined) return { dataDir: options.dataDir, dbFile: join(options.dataDir, DB_FILE_NAME) }
  throw new Error('startBridge needs dataDir or dbFile')
}

const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host)

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const { dataDir, dbFile } = resolveFiles(options)
  const wantsBootstrap = options.bootstrap ?? options.publicUrl !== undefined
  const receiverPath = options.receiverPath ?? DEFAULT_RECEIVER_PATH
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention }
  const clientToken = resolveClientToken(dataDir, options.clientToken)
  const store: EventStore = options.store ?? openSqliteEventStore({ file: dbFile })
  const notifier = createNotifier()
  const unwatch = store.watch(() => notifier.notify())
  const api = createApiClient({
    baseUrl: options.apiUrl,
    clientId: options.apiCredentials.clientId,
    clientSecret: options.apiCredentials.clientSecret,
    keyId: options.apiCredentials.keyId,
    privateKeyPem: options.apiCredentials.privateKeyPem,
    scopes: options.apiCredentials.scopes ?? BRIDGE_API_SCOPES,
  })
  const keys = createVerifyKeyCache({ fetchKeys: () => api.getVerifyKeys() })
  let lastDeliveryAt: number | undefined
  let subscription: SubscriptionState = { state: 'not_requested' }

  const app = createBridgeApp(options.logLevel ?? 'info', options.logSink)
  await registerReceiverRoute(app, {
    path: receiverPath,
    signedPath: options.publicUrl === undefined ? receiverPath : new URL(receiverUrl(options.publicUrl, receiverPath)).pathname,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    replayWindowSeconds: options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS,
    store,
    keys,
    onStored: (at) => {
      lastDeliveryAt = at
    },
  })
  registerFeedRoute(app, {
    store,
    notifier,
    isAuthorized: createBearerCheck(clientToken),
    maxWaitSeconds: options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS,
  })
  registerHealthRoute(app, {
    store,
    keys,
    notifier,
    lastDeliveryAt: () => lastDeliveryAt,
    subscription: () =>
      subscription.state === 'failed' ? { state: 'failed', detail: subscription.detail } : { state: subscription.state },
  })

  const compactNow = async (): Promise<CompactionResult> => {
    const result = await store.compact(retention, Date.now())
    if (result.deleted > 0) app.log.info({ deleted: result.deleted }, 'compacted feed')
    return result
  }
  let compactionTimer: NodeJS.Timeout | undefined

  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? DEFAULT_HOST })
    // Warm the key cache so the first delivery does not wait on the API; failures retry per delivery.
    await keys.ensureFresh()
    await compactNow()
    compactionTimer = setInterval(() => {
      compactNow().catch((error: unknown) => app.log.error({ err: error }, 'compaction failed'))
    }, options.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS)
    compactionTimer.unref()
  } catch (error) {
    await app.close()
    await store.close()
    throw error
  }

  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0)
  const url = `http://${formatHost(options.host ?? DEFAULT_HOST)}:${port}`

  let bootstrapTimer: NodeJS.Timeout | undefined
  let stopped = false
  // Without a public URL the API must reach this host directly (local simulator).
  const subscriptionUrl = receiverUrl(options.publicUrl ?? url, receiverPath)
  const bootstrap = async (retryInMs: number): Promise<void> => {
    const result = await ensureSubscription(api, { url: subscriptionUrl })
    if (stopped) return
    if (result.ok) {
      subscription = { state: 'ok', action: result.value.action, id: result.value.subscription.id, url: result.value.subscription.url }
      app.log.info({ id: result.value.subscription.id, action: result.value.action }, 'webhook subscription ready')
      return
    }
    const detail = `${result.error.kind}: ${result.error.message}`
    subscription = { state: 'failed', detail }
    app.log.error({ detail }, 'webhook subscription bootstrap failed')
    // An unreachable or overloaded API recovers by itself; wrong credentials need a person.
    if (result.error.kind !== 'transient') return
    bootstrapTimer = setTimeout(() => void bootstrap(Math.min(retryInMs * 2, BOOTSTRAP_RETRY_MAX_MS)), retryInMs)
    bootstrapTimer.unref()
  }
  if (wantsBootstrap) await bootstrap(options.bootstrapRetryMs ?? BOOTSTRAP_RETRY_INITIAL_MS)

  let closing: Promise<void> | undefined
  return {
    url,
    receiverUrl: `${url}${receiverPath}`,
    clientToken,
    dbFile,
    get subscription() {
      return subscription
    },
    compactNow,
    close() {
      closing ??= (async () => {
        stopped = true
        clearInterval(compactionTimer)
        clearTimeout(bootstrapTimer)
        unwatch()
        notifier.closeAll()
        await app.close()
        await store.close()
      })()
      return closing
    },
  }
}
