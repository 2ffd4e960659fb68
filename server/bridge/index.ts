/**
 * `startBridge(options)`: the webhook bridge as a library (the CLI, `npm start` and the
 * tests all use it). Opens the store, fetches verify keys through the app's API client,
 * serves receiver, feed and health, compacts on a timer, optionally ensures the API
 * subscription, and closes everything it opened.
 */
import { dirname, join } from 'node:path'
import { assertNever } from '../../shared/assert-never'
import type { BridgeSubscriptionStatus } from '../../shared/schemas/bridge-feed'
import { createApiClient } from '../../shared/node/api'
import { createBridgeApp } from './app'
import { createFeedAuthorizer } from './bearer-auth'
import { receiverUrl } from './bootstrap/ensure-subscription'
import { createSubscriptionMonitor, type SubscriptionMonitor, type SubscriptionState } from './bootstrap/subscription-monitor'
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
  DEFAULT_DOCUMENT_TTL_MS,
  DEFAULT_MAX_DOCUMENT_BYTES,
  DEFAULT_SUBSCRIPTION_CHECK_INTERVAL_MS,
  DEFAULT_SUBSCRIPTION_SILENCE_GRACE_MS,
  type BridgeOptions,
} from './config'
import { registerFeedRoute } from './feed/feed-route'
import { createNotifier } from './feed/notifier'
import { registerHealthRoute } from './health-route'
import { registerReceiverRoute } from './receiver/receiver-route'
import { createVerifyKeyCache } from './receiver/verify-key-cache'
import type { CompactionResult, EventStore, RetentionPolicy } from './storage/event-store'
import { openPostgresStores } from './storage/postgres/postgres-event-store'
import { openSqliteEventStore } from './storage/sqlite-event-store'
import type { DeviceTokenStore } from './tokens/device-token-store'
import { openSqliteDeviceTokens } from './tokens/sqlite-device-tokens'
import type { DocumentStore } from './documents/document-store'
import { registerDocumentsRoute } from './documents/documents-route'
import { openSqliteDocuments } from './documents/sqlite-documents'

export type { BridgeOptions, ApiCredentials } from './config'
export type { EventStore, RetentionPolicy } from './storage/event-store'
export { openSqliteEventStore } from './storage/sqlite-event-store'

export type { SubscriptionState } from './bootstrap/subscription-monitor'

export interface RunningBridge {
  /** Base URL, e.g. `http://127.0.0.1:4020`; the feed is `${url}/events`. */
  readonly url: string
  /** Full URL of the webhook receiver on this host. */
  readonly receiverUrl: string
  readonly clientToken: string
  readonly dbFile: string
  readonly subscription: SubscriptionState
  /** Checks (and repairs) the webhook subscription now; the timer does it every few minutes. */
  checkSubscription(): Promise<SubscriptionState>
  /** Runs a compaction now (the timer does it hourly). */
  compactNow(): Promise<CompactionResult>
  close(): Promise<void>
}

const BOOTSTRAP_RETRY_INITIAL_MS = 5_000

function resolveFiles(options: BridgeOptions): { dataDir: string; dbFile: string } {
  if (options.dbFile !== undefined) return { dataDir: options.dataDir ?? dirname(options.dbFile), dbFile: options.dbFile }
  if (options.dataDir !== undefined) return { dataDir: options.dataDir, dbFile: join(options.dataDir, DB_FILE_NAME) }
  throw new Error('startBridge needs dataDir or dbFile')
}

const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host)

const iso = (ms: number): string => new Date(ms).toISOString()

/** What `/health` says about the subscription (no secrets in it). */
function healthSubscription(state: SubscriptionState): { state: string; detail?: string; [field: string]: unknown } {
  switch (state.state) {
    case 'not_requested':
      return { state: state.state }
    case 'failed':
      return {
        state: state.state,
        detail: state.detail,
        checked_at: iso(state.checkedAt),
        confirmed_at: state.confirmedAt === undefined ? null : iso(state.confirmedAt),
      }
    case 'silent':
      return { state: state.state, detail: state.detail, id: state.id, url: state.url, checked_at: iso(state.checkedAt) }
    case 'ok':
      return {
        state: state.state,
        id: state.id,
        url: state.url,
        checked_at: iso(state.checkedAt),
        last_repair: state.lastRepair === undefined ? null : { reason: state.lastRepair.reason, at: iso(state.lastRepair.at) },
      }
    default:
      return assertNever(state, 'subscription state')
  }
}

/** What every feed page tells the app: are webhooks known to be arriving? */
function feedSubscriptionStatus(state: SubscriptionState): BridgeSubscriptionStatus {
  switch (state.state) {
    case 'not_requested':
      return { live: true, state: 'unmanaged' }
    case 'ok':
      return { live: true, state: 'ok' }
    case 'failed':
      // The API could not be asked: a subscription it confirmed before still delivers as far
      // as anyone knows, so clients are not told "paused"; one never confirmed is not live.
      return state.confirmedAt === undefined
        ? { live: false, state: state.state, detail: state.detail }
        : { live: true, state: 'unchecked', detail: state.detail }
    case 'silent':
      return { live: false, state: state.state, detail: state.detail }
    default:
      return assertNever(state, 'subscription state')
  }
}

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const { dataDir, dbFile } = resolveFiles(options)
  const wantsBootstrap = options.bootstrap ?? options.publicUrl !== undefined
  const receiverPath = options.receiverPath ?? DEFAULT_RECEIVER_PATH
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention }
  const clientToken = resolveClientToken(dataDir, options.clientToken)
  const postgres = options.storeUrl === undefined ? undefined : await openPostgresStores({ url: options.storeUrl })
  const store: EventStore = postgres?.events ?? options.store ?? openSqliteEventStore({ file: dbFile })
  const deviceTokens: DeviceTokenStore = postgres?.deviceTokens ?? options.deviceTokens ?? openSqliteDeviceTokens(dbFile)
  // Closed here only when opened here; a passed-in backend belongs to the caller.
  const closeDeviceTokens = async (): Promise<void> => (options.deviceTokens === undefined ? deviceTokens.close() : undefined)
  const documents: DocumentStore = postgres?.documents ?? openSqliteDocuments(dbFile)
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
  let lastTestDeliveryAt: number | undefined
  let monitor: SubscriptionMonitor | undefined
  const subscription = (): SubscriptionState => monitor?.state ?? { state: 'not_requested' }

  const isAuthorized = createFeedAuthorizer({ localToken: clientToken, devices: deviceTokens })
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
    onTestDelivery: (at) => {
      lastTestDeliveryAt = at
    },
  })
  registerFeedRoute(app, {
    store,
    notifier,
    isAuthorized,
    maxWaitSeconds: options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS,
    subscriptionStatus: () => feedSubscriptionStatus(subscription()),
  })
  let linkBase = options.publicUrl
  await registerDocumentsRoute(app, {
    documents,
    isAuthorized,
    maxBytes: options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
    ttlMs: options.documentTtlMs ?? DEFAULT_DOCUMENT_TTL_MS,
    linkBase: () => linkBase ?? '',
  })
  registerHealthRoute(app, {
    store,
    keys,
    notifier,
    lastDeliveryAt: () => lastDeliveryAt,
    subscription: () => healthSubscription(subscription()),
  })

  const compactNow = async (): Promise<CompactionResult> => {
    const expiredDocuments = await documents.deleteExpired(Date.now())
    if (expiredDocuments > 0) app.log.info({ deleted: expiredDocuments }, 'deleted expired documents')
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
    await closeDeviceTokens()
    await documents.close()
    throw error
  }

  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0)
  const url = `http://${formatHost(options.host ?? DEFAULT_HOST)}:${port}`
  linkBase ??= url

  // Without a public URL the API must reach this host directly (local simulator).
  const subscriptionUrl = receiverUrl(options.publicUrl ?? url, receiverPath)
  if (wantsBootstrap) {
    monitor = createSubscriptionMonitor({
      api,
      url: subscriptionUrl,
      intervalMs: options.subscriptionCheckIntervalMs ?? DEFAULT_SUBSCRIPTION_CHECK_INTERVAL_MS,
      silenceGraceMs: options.subscriptionSilenceGraceMs ?? DEFAULT_SUBSCRIPTION_SILENCE_GRACE_MS,
      retryMs: options.bootstrapRetryMs ?? BOOTSTRAP_RETRY_INITIAL_MS,
      lastDeliveryAt: () => Math.max(lastDeliveryAt ?? -Infinity, lastTestDeliveryAt ?? -Infinity),
      log: (level, fields, message) => app.log[level](fields, message),
    })
    await monitor.checkNow()
  }
  const checkSubscription = async (): Promise<SubscriptionState> => (monitor === undefined ? subscription() : monitor.checkNow())

  let closing: Promise<void> | undefined
  return {
    url,
    receiverUrl: `${url}${receiverPath}`,
    clientToken,
    dbFile,
    get subscription() {
      return subscription()
    },
    checkSubscription,
    compactNow,
    close() {
      closing ??= (async () => {
        monitor?.stop()
        clearInterval(compactionTimer)
        unwatch()
        notifier.closeAll()
        await app.close()
        await store.close()
        await closeDeviceTokens()
        await documents.close()
      })()
      return closing
    },
  }
}
