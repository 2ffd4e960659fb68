/**
 * `npm run bridge -- --port 4020 --api http://127.0.0.1:4010 --public-url <url> --data <dir>`:
 * runs the bridge until SIGINT/SIGTERM. Prints its URL and the feed's client token; API
 * credentials come from a JSON file (default: the simulator's demo client, loopback only).
 */
import { parseArgs } from 'node:util'
import { join, resolve } from 'node:path'
import { DEFAULT_DEV_CLIENT_PATH, loadDevClient } from '../sandbox/dev-client'
import {
  DB_FILE_NAME,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_WAIT_SECONDS,
  DEFAULT_RECEIVER_PATH,
  DEFAULT_REPLAY_WINDOW_SECONDS,
  DEFAULT_RETENTION,
  DEFAULT_SUBSCRIPTION_CHECK_INTERVAL_MS,
  DEFAULT_SUBSCRIPTION_SILENCE_GRACE_MS,
  type BridgeOptions,
} from './config'
import { startBridge } from './index'
import { openPostgresStores } from './storage/postgres/postgres-event-store'
import { openSqliteDeviceTokens } from './tokens/sqlite-device-tokens'
import { runTokensCommand } from './tokens/tokens-command'

const DEFAULT_PORT = 4020
const DEFAULT_API_URL = 'http://127.0.0.1:4010'
const DEFAULT_DATA_DIR = '.data/bridge'
const CLIENT_TOKEN_ENV = 'OUTPOST_BRIDGE_CLIENT_TOKEN'
const STORE_ENV = 'OUTPOST_BRIDGE_STORE'

function storeUrlOption(value: string | undefined): string | undefined {
  const url = value ?? process.env[STORE_ENV]
  if (url === undefined || url === '') return undefined
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('--store must be a postgres:// URL')
  return url
}
const DAY_MS = 24 * 60 * 60 * 1000
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const HELP = `Outpost webhook bridge

Usage: npm run bridge -- [options]
       npm run bridge -- tokens issue --name <device> | list | revoke <name>   (see tokens --help)

  --port <n>             port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host <addr>          address to bind (default 127.0.0.1; 0.0.0.0 to serve a team)
  --api <url>            Users API base URL (default ${DEFAULT_API_URL})
  --public-url <url>     public base URL the API posts deliveries to; the webhook
                         subscription is created/enabled for <url>${DEFAULT_RECEIVER_PATH}
  --data <dir>           data directory: database and generated client token (default ${DEFAULT_DATA_DIR})
  --db <file>            SQLite file (default <data>/bridge.sqlite)
  --store <url>          postgres://user:pass@host:port/db: PostgreSQL for several instances
                         (or env ${STORE_ENV}); default: the SQLite file
  --credentials <file>   the bridge's API client (JSON: client_id, client_secret, key_id,
                         scopes, private_key_path|private_key_pem); default: the simulator's
                         demo client, allowed only for a loopback --api
  --client-token <tok>   bearer token for feed clients (or env ${CLIENT_TOKEN_ENV});
                         default: generated once and kept in the data directory
  --receiver-path <p>    webhook path (default ${DEFAULT_RECEIVER_PATH})
  --max-body-bytes <n>   largest delivery accepted (default ${DEFAULT_MAX_BODY_BYTES})
  --replay-window <s>    oldest signature 'created' accepted, seconds (default ${DEFAULT_REPLAY_WINDOW_SECONDS})
  --max-wait <s>         cap on a feed long-poll, seconds (default ${DEFAULT_MAX_WAIT_SECONDS})
  --retain-days <n>      drop events older than this (default ${DEFAULT_RETENTION.maxAgeMs / DAY_MS})
  --retain-events <n>    keep at most the newest n events (default ${DEFAULT_RETENTION.maxEvents})
  --cursor-protect-days <n>
                         never drop events newer than the oldest cursor a client used within
                         this many days (default ${DEFAULT_RETENTION.cursorProtectionMs / DAY_MS})
  --no-bootstrap         do not create/enable the webhook subscription
  --subscription-check <s>
                         check and repair the subscription this often, seconds (default ${DEFAULT_SUBSCRIPTION_CHECK_INTERVAL_MS / 1000})
  --subscription-silence <s>
                         a test delivery not arriving within this many seconds makes the
                         subscription 'silent' on /health (default ${DEFAULT_SUBSCRIPTION_SILENCE_GRACE_MS / 1000})
  --log-level <level>    ${LOG_LEVELS.join('|')} (default info)
  --help                 show this text
`

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1'
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative number`)
  return parsed
}

function secondsOption(name: string, value: string | undefined): number | undefined {
  const seconds = numberOption(name, value)
  return seconds === undefined ? undefined : seconds * 1000
}

function logLevelOption(value: string | undefined): BridgeOptions['logLevel'] {
  if (value === undefined) return 'info'
  const level = LOG_LEVELS.find((l) => l === value)
  if (level === undefined) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}`)
  return level
}

function retentionOptions(
  days: string | undefined,
  events: string | undefined,
  protectDays: string | undefined,
): BridgeOptions['retention'] {
  const maxAgeDays = numberOption('retain-days', days)
  const maxEvents = numberOption('retain-events', events)
  const protectionDays = numberOption('cursor-protect-days', protectDays)
  return {
    ...(maxAgeDays === undefined ? {} : { maxAgeMs: maxAgeDays * DAY_MS }),
    ...(maxEvents === undefined ? {} : { maxEvents: Math.floor(maxEvents) }),
    ...(protectionDays === undefined ? {} : { cursorProtectionMs: protectionDays * DAY_MS }),
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'tokens') {
    process.exitCode = await runTokensCommand(process.argv.slice(3), {
      out: (text) => process.stdout.write(text),
      openStore: async (values) => {
        const storeUrl = storeUrlOption(values.store)
        if (storeUrl === undefined) return openSqliteDeviceTokens(resolve(values.db ?? join(values.data ?? DEFAULT_DATA_DIR, DB_FILE_NAME)))
        const stores = await openPostgresStores({ url: storeUrl })
        return { ...stores.deviceTokens, close: () => stores.events.close() }
      },
    })
    return
  }
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      api: { type: 'string' },
      'public-url': { type: 'string' },
      data: { type: 'string' },
      db: { type: 'string' },
      store: { type: 'string' },
      credentials: { type: 'string' },
      'client-token': { type: 'string' },
      'receiver-path': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'replay-window': { type: 'string' },
      'max-wait': { type: 'string' },
      'retain-days': { type: 'string' },
      'retain-events': { type: 'string' },
      'cursor-protect-days': { type: 'string' },
      'no-bootstrap': { type: 'boolean' },
      'subscription-check': { type: 'string' },
      'subscription-silence': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  })
  if (values.help === true) {
    process.stdout.write(HELP)
    return
  }
  const apiUrl = values.api ?? DEFAULT_API_URL
  if (values.credentials === undefined && !isLoopback(apiUrl)) {
    throw new Error('--credentials is required for a non-loopback --api (the demo client only exists in the simulator)')
  }
  const client = loadDevClient(values.credentials === undefined ? DEFAULT_DEV_CLIENT_PATH : resolve(values.credentials))
  const publicUrl = values['public-url']

  const bridge = await startBridge({
    port: numberOption('port', values.port) ?? DEFAULT_PORT,
    host: values.host,
    apiUrl,
    apiCredentials: client,
    dataDir: resolve(values.data ?? DEFAULT_DATA_DIR),
    dbFile: values.db === undefined ? undefined : resolve(values.db),
    storeUrl: storeUrlOption(values.store),
    clientToken: values['client-token'] ?? process.env[CLIENT_TOKEN_ENV],
    receiverPath: values['receiver-path'],
    maxBodyBytes: numberOption('max-body-bytes', values['max-body-bytes']),
    replayWindowSeconds: numberOption('replay-window', values['replay-window']),
    maxWaitSeconds: numberOption('max-wait', values['max-wait']),
    retention: retentionOptions(values['retain-days'], values['retain-events'], values['cursor-protect-days']),
    publicUrl,
    // Locally the simulator can post to us directly; elsewhere only with a public URL.
    bootstrap: values['no-bootstrap'] !== true && (publicUrl !== undefined || isLoopback(apiUrl)),
    subscriptionCheckIntervalMs: secondsOption('subscription-check', values['subscription-check']),
    subscriptionSilenceGraceMs: secondsOption('subscription-silence', values['subscription-silence']),
    logLevel: logLevelOption(values['log-level']),
  })

  process.stdout.write(`outpost bridge: ${bridge.url}\n`)
  process.stdout.write(`feed: ${bridge.url}/events   receiver: ${bridge.receiverUrl}   health: ${bridge.url}/health\n`)
  const subscription = bridge.subscription
  if (subscription.state === 'ok')
    process.stdout.write(`subscription: ${subscription.id} (${subscription.action}) -> ${subscription.url}\n`)
  if (subscription.state === 'failed') process.stdout.write(`subscription: FAILED ${subscription.detail}\n`)
  process.stdout.write(`client token: ${bridge.clientToken}\n`)

  const stop = (): void => {
    bridge.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`bridge: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
