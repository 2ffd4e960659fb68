/**
 * `npm run sandbox -- --port 4010 --seed 200`: starts the simulator, prints its URL and
 * the demo credentials file, and stops cleanly on Ctrl+C. `--help` lists every option.
 */
import { parseArgs } from 'node:util'
import type { WebhookSignatureFormat } from './dispatcher'
import { startSandbox, type SandboxOptions } from './index'

const HELP = `Local Users API simulator

Usage: npm run sandbox -- [options]

  --port <n>                  port to listen on (default 4010; 0 = any free port)
  --host <addr>               address to bind (default 127.0.0.1)
  --seed <n>                  number of deterministic demo users to create (default 200)
  --prng-seed <n>             variant of the demo data (same value, same users)
  --state-file <path>         keep users, webhooks, pending data changes and the webhook key across restarts
  --dev-client <path>         demo client config (default server/sandbox/dev-client.json)
  --no-verify-signatures      accept unsigned requests (quick manual use with curl); checked by default
  --token-ttl <seconds>       access token lifetime (default 1800)
  --offboard-delay <ms>       OFFBOARDING -> OFFBOARDED after this long (default 30000)
  --data-change-delay <ms>    data changes are applied after this long (default 5000)
  --webhook-delay <ms>        override every subscription's config.delay
  --webhook-retry-base <ms>   first retry delay of a failed webhook delivery, doubling (default 1000)
  --webhook-signature <fmt>   draft-06 (default, as the provider signs today) or draft-15
  --rate-limit <n>            requests per second per client before 429 (default 0 = off; provider: 300)
  --log                       print each request
  -h, --help                  show this help

Fault switches and shortcuts: see server/sandbox/README.md (/__sandbox/...).`

const DEFAULT_CLI_PORT = 4010
const DEFAULT_CLI_SEED = 200

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number >= 0`)
  return parsed
}

function signatureFormatOption(value: string | undefined): WebhookSignatureFormat | undefined {
  if (value === undefined || value === 'draft-06' || value === 'draft-15') return value
  throw new Error('--webhook-signature must be draft-06 or draft-15')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'prng-seed': { type: 'string' },
      'state-file': { type: 'string' },
      'dev-client': { type: 'string' },
      'no-verify-signatures': { type: 'boolean', default: false },
      'token-ttl': { type: 'string' },
      'offboard-delay': { type: 'string' },
      'data-change-delay': { type: 'string' },
      'webhook-delay': { type: 'string' },
      'webhook-retry-base': { type: 'string' },
      'webhook-signature': { type: 'string' },
      'rate-limit': { type: 'string' },
      log: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log(HELP)
    return
  }
  const options: SandboxOptions = {
    port: intOption(values.port, 'port') ?? DEFAULT_CLI_PORT,
    host: values.host,
    seed: intOption(values.seed, 'seed') ?? DEFAULT_CLI_SEED,
    prngSeed: intOption(values['prng-seed'], 'prng-seed'),
    stateFile: values['state-file'],
    devClientPath: values['dev-client'],
    verifySignatures: !values['no-verify-signatures'],
    tokenTtlSeconds: intOption(values['token-ttl'], 'token-ttl'),
    offboardDelayMs: intOption(values['offboard-delay'], 'offboard-delay'),
    dataChangeDelayMs: intOption(values['data-change-delay'], 'data-change-delay'),
    webhookDelayMs: intOption(values['webhook-delay'], 'webhook-delay'),
    webhookRetryBaseMs: intOption(values['webhook-retry-base'], 'webhook-retry-base'),
    webhookSignatureFormat: signatureFormatOption(values['webhook-signature']),
    rateLimitPerSecond: intOption(values['rate-limit'], 'rate-limit'),
    logRequests: values.log,
  }
  const sandbox = await startSandbox(options)
  console.log(`Users API simulator listening on ${sandbox.url}`)
  console.log(`Demo credentials: ${sandbox.devClientPath} (client_id ${sandbox.devClient.clientId}, key_id ${sandbox.devClient.keyId})`)
  console.log(`Signature checking: ${options.verifySignatures === false ? 'OFF' : 'on'}; admin and faults under ${sandbox.url}/__sandbox/`)
  console.log(`Admin token: ${sandbox.adminToken} (header x-sandbox-admin-token)`)
  const stop = () => {
    void sandbox.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
