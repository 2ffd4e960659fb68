/**
 * The web host: the app's main side as a plain Node process, for browsers, CI and
 * Playwright. It builds the same runtime and handler table Electron uses and serves them on
 * loopback — `POST /ipc/<method>` for calls, `GET /events` (SSE) for pushes — behind a
 * per-run token, plus the built renderer under a strict CSP. See README.md beside this file.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createFileCursorStore } from '../services/poller/cursor-store'
import { createAppRuntime, type AppRuntime, type AppRuntimeOptions } from '../services/runtime/app-runtime'
import { createConfigService } from '../services/settings/config-service'
import { loadDevConfigFile, resolveDevFallback, type AppConfig } from '../services/settings/dev-config'
import { createPlainFileSecretStore } from '../services/settings/secret-store'
import { createSettingsFile } from '../services/settings/settings-file'
import { handleIpcCall, sendEnvelope } from './ipc-routes'
import { bearerOf, createRunToken, tokenMatches } from './run-token'
import { createSseHub } from './sse-hub'
import { serveStatic } from './static-files'

export interface WebHostOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number
  /** The built renderer; default `out/renderer` under the working directory. */
  readonly rendererDir?: string
  /** settings.json, secrets.json and cursor.json live here; default a fresh temp dir removed on close. */
  readonly dataDir?: string
  /** Used while dataDir has no settings.json. Default: `devConfigPath`, else OUTPOST_DEV_CONFIG, else the local simulator + bridge. */
  readonly config?: AppConfig | null
  /** A dev config file (format in README.md). */
  readonly devConfigPath?: string
  /** Default: random per run. */
  readonly token?: string
  readonly version?: string
  readonly log?: (message: string) => void
  readonly apiTimeoutMs?: number
  readonly poller?: AppRuntimeOptions['poller']
  readonly connectivity?: AppRuntimeOptions['connectivity']
}

export interface WebHost {
  /** Open this in a browser: origin plus `#token=<run token>`. */
  readonly url: string
  readonly origin: string
  readonly port: number
  readonly token: string
  readonly dataDir: string
  readonly runtime: AppRuntime
  close(): Promise<void>
}

const LOOPBACK = '127.0.0.1'

export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const log = options.log ?? (() => undefined)
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'outpost-webhost-')))
  const rendererDir = resolve(options.rendererDir ?? 'out/renderer')
  const token = options.token ?? createRunToken()
  const fallback =
    options.config !== undefined ? options.config : options.devConfigPath ? loadDevConfigFile(options.devConfigPath) : resolveDevFallback()

  const config = createConfigService({
    settingsFile: createSettingsFile(join(dataDir, 'settings.json')),
    secretStore: createPlainFileSecretStore(join(dataDir, 'secrets.json')),
    fallback,
  })
  await config.load()
  // A page that (re)connects may have missed a batch: the runtime resends it at once.
  const sse = createSseHub(() => runtime.rendererConnected())
  const runtime = createAppRuntime({
    config,
    cursorStore: createFileCursorStore(join(dataDir, 'cursor.json')),
    push: sse.push,
    appInfo: { version: options.version ?? process.env.npm_package_version ?? '0.0.0', platform: process.platform, transport: 'web' },
    log,
    ...(options.apiTimeoutMs === undefined ? {} : { apiTimeoutMs: options.apiTimeoutMs }),
    ...(options.poller ? { poller: options.poller } : {}),
    ...(options.connectivity ? { connectivity: options.connectivity } : {}),
  })

  let port = 0
  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      log(`web host: ${request.method} ${request.url} failed: ${String(error)}`)
      if (!response.headersSent)
        sendEnvelope(response, 500, { ok: false, failure: { code: 'internal', message: 'internal error', issues: [] } })
      else response.destroy()
    })
  })

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // DNS rebinding: a foreign site resolving its name to 127.0.0.1 still sends its own Host.
    if (!isOurHost(request.headers.host, port)) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request')
      return
    }
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}`)
    if (url.pathname.startsWith('/ipc/')) {
      if (!tokenMatches(token, bearerOf(request.headers.authorization)))
        return sendEnvelope(response, 401, {
          ok: false,
          failure: { code: 'forbidden_sender', message: 'missing or wrong run token', issues: [] },
        })
      return handleIpcCall(runtime.handlers, url.pathname.slice('/ipc/'.length), request, response)
    }
    if (url.pathname === '/events') {
      // EventSource cannot send headers, so the stream takes the token as a query parameter.
      if (!tokenMatches(token, url.searchParams.get('token'))) {
        response.writeHead(401, { 'content-type': 'text/plain' }).end('missing or wrong run token')
        return
      }
      sse.attach(response)
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed')
      return
    }
    return serveStatic(rendererDir, url.pathname, response)
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, LOOPBACK, () => resolveListen())
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://${LOOPBACK}:${port}`
  await runtime.start()
  log(`web host on ${origin} (config: ${config.source()}, data: ${dataDir})`)

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    dataDir,
    runtime,
    async close() {
      sse.close()
      await runtime.stop()
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose())
        server.closeAllConnections()
      })
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

function isOurHost(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`
}
