/**
 * Composes the services behind the handlers for one app run, independent of transport:
 * the API client and bridge poller for the current config (rebuilt when settings are
 * saved), connectivity, and pushes to the renderer. Electron's main and the web host each
 * create one runtime and serve its `handlers`; neither adds logic of its own.
 */
import type { AppInfo, SyncStatusReport } from '../../../shared/ipc/contract'
import { clientConfigFrom, createApiClient, type ApiClient } from '../../../shared/node/api'
import { createConnectivity, type Connectivity, type ConnectivityOptions } from '../connectivity/connectivity'
import { createHandlers, type Handlers } from '../handlers/create-handlers'
import { createMemoryJournal, type JournalStore } from '../handlers/journal-store'
import { createBridgePoller, type BridgePoller, type BridgePollerOptions } from '../poller/bridge-poller'
import type { CursorStore } from '../poller/cursor-store'
import type { ConfigService } from '../settings/config-service'
import type { AppConfig } from '../settings/dev-config'
import type { PushSink } from './push'
import { testConnection } from './test-connection'
import { uploadProof } from '../documents/upload-proof'

/** On quit, API calls in flight get this long to finish before they are abandoned. */
export const SHUTDOWN_GRACE_MS = 5_000

export type WakeReason = 'resume' | 'unlock' | 'network' | 'focus'

export interface AppRuntimeOptions {
  readonly config: ConfigService
  readonly cursorStore: CursorStore
  readonly push: PushSink
  readonly appInfo: AppInfo
  readonly journal?: JournalStore
  readonly log?: (message: string) => void
  readonly apiTimeoutMs?: number
  /** Test knobs for the poller (wait, backoff) and connectivity (intervals). */
  readonly poller?: Partial<Pick<BridgePollerOptions, 'waitSeconds' | 'deadlineGraceMs' | 'confirmTimeoutMs' | 'backoff' | 'random'>>
  readonly connectivity?: Partial<Omit<ConnectivityOptions, 'probe'>>
  readonly onSyncStatus?: (status: SyncStatusReport) => void
}

export interface AppRuntime {
  readonly handlers: Handlers
  readonly connectivity: Connectivity
  start(): Promise<void>
  stop(): Promise<void>
  wake(reason: WakeReason): void
  requestSync(source: 'menu' | 'tray' | 'resume'): void
  /** A renderer (re)loaded or (re)subscribed: resend what it may have missed. */
  rendererConnected(): void
  api(): ApiClient | null
  poller(): BridgePoller | null
  syncStatus(): SyncStatusReport | null
}

export function createAppRuntime(options: AppRuntimeOptions): AppRuntime {
  const log = options.log ?? (() => undefined)
  let api: ApiClient | null = null
  let poller: BridgePoller | null = null
  let syncStatus: SyncStatusReport | null = null
  let started = false
  const inFlight = new Set<Promise<unknown>>()

  const connectivity = createConnectivity({
    ...options.connectivity,
    probe: async () => {
      const client = api
      return client ? (await client.probe()).ok : false
    },
  })
  connectivity.onChange((state) => options.push('connectivityChanged', state))
  connectivity.onBackOnline(() => poller?.wake())

  function buildApi(config: AppConfig | null): ApiClient | null {
    const connection = clientConfigFrom(config)
    if (connection === null) return null
    try {
      return createApiClient({ ...connection, ...(options.apiTimeoutMs === undefined ? {} : { timeoutMs: options.apiTimeoutMs }) })
    } catch (error) {
      // Typically a private key that does not parse; the message names no key material.
      log(`API client not configured: ${error instanceof Error ? error.message : String(error)}`)
      return null
    }
  }

  let restarting: Promise<void> = Promise.resolve()

  /** The API client switches at once; poller restarts run one after another. */
  function applyConfig(config: AppConfig | null): Promise<void> {
    api = buildApi(config)
    restarting = restarting
      .then(() => restartPoller(config))
      .catch((error: unknown) => log(`bridge poller not restarted: ${String(error)}`))
    if (started) void connectivity.check()
    return restarting
  }

  async function restartPoller(config: AppConfig | null): Promise<void> {
    await poller?.stop()
    poller = null
    const bridgeUrl = config?.settings.bridgeUrl
    const token = config?.secrets.bridgeToken
    if (!started || !bridgeUrl || !token) return
    poller = createBridgePoller({ ...options.poller, bridgeUrl, token, cursorStore: options.cursorStore, push: options.push, log })
    await poller.start()
  }

  /** API calls are tracked so a quit can let them finish instead of cutting them off. */
  function tracked<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise)
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined)
    return promise
  }

  function trackedApi(): ApiClient | null {
    const client = api
    if (!client) return null
    return new Proxy(client, {
      get: (target, key, receiver) => {
        const member: unknown = Reflect.get(target, key, receiver)
        if (typeof member !== 'function') return member
        return (...args: unknown[]) => tracked(Promise.resolve((member as (...a: unknown[]) => unknown).apply(target, args)))
      },
    })
  }

  const handlers = createHandlers({
    api: trackedApi,
    config: options.config,
    connectivity: () => {
      // The renderer reads this once it has subscribed to pushes (at start or after a reload):
      // a batch still awaiting its confirmation may have gone to the page before, so resend it now.
      poller?.redeliver()
      return connectivity.state()
    },
    confirmFeedBatch: async (cursor) => poller?.confirm(cursor),
    testConnection: () => testConnection(api, options.config.current()),
    appInfo: () => options.appInfo,
    reportSyncStatus: (status) => {
      syncStatus = status
      options.onSyncStatus?.(status)
    },
    journal: options.journal ?? createMemoryJournal(),
    uploadProof: ({ contentType, dataBase64 }) => {
      const config = options.config.current()
      const bridgeUrl = config?.settings.bridgeUrl
      const token = config?.secrets.bridgeToken
      if (!bridgeUrl || !token)
        return Promise.resolve({ ok: false, error: { kind: 'not_configured', message: 'set the bridge URL and token in Settings first' } })
      return tracked(uploadProof({ bridgeUrl, token, contentType, bytes: new Uint8Array(Buffer.from(dataBase64, 'base64')) }))
    },
  })

  options.config.onChange((config) => void applyConfig(config))

  return {
    handlers,
    connectivity,
    async start() {
      if (started) return
      started = true
      await applyConfig(options.config.current())
      connectivity.start()
    },
    async stop() {
      started = false
      connectivity.stop()
      await restarting
      await poller?.stop()
      poller = null
      const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())
      await Promise.race([Promise.allSettled([...inFlight]), grace])
    },
    wake(reason) {
      log(`waking on ${reason}`)
      poller?.wake()
      connectivity.signal()
    },
    requestSync(source) {
      options.push('syncRequested', { source })
      poller?.wake()
    },
    rendererConnected() {
      poller?.redeliver()
      options.push('connectivityChanged', connectivity.state())
    },
    api: () => api,
    poller: () => poller,
    syncStatus: () => syncStatus,
  }
}
