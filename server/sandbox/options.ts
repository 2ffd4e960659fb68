/**
 * Everything `startSandbox` can be told, with the defaults the CLI uses. Delays are
 * options so tests run the whole lifecycle in milliseconds.
 */
import { randomBytes } from 'node:crypto'
import type { DevClient } from './dev-client'
import type { WebhookSignatureFormat } from './dispatcher'

export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 60
export const DEFAULT_OFFBOARD_DELAY_MS = 30_000
export const DEFAULT_DATA_CHANGE_DELAY_MS = 5_000
export const DEFAULT_WEBHOOK_RETRY_BASE_MS = 1_000
export const DEFAULT_WEBHOOK_RETRY_MAX_MS = 60_000
export const DEFAULT_WEBHOOK_ATTEMPT_TIMEOUT_MS = 10_000
export const DEFAULT_TIMEOUT_AFTER_COMMIT_HOLD_MS = 30_000
export const DEFAULT_PRNG_SEED = 20_240_601
export const DEFAULT_MAX_SKEW_SECONDS = 30
/** Where the simulator's own control endpoints live (the real API has nothing there). */
export const ADMIN_PREFIX = '/__sandbox'

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number
  readonly host?: string
  /** Number of deterministic demo users to start with (default 0). */
  readonly seed?: number
  /** Picks the variant of demo data and ids (default fixed). */
  readonly prngSeed?: number
  readonly tokenTtlSeconds?: number
  readonly offboardDelayMs?: number
  readonly dataChangeDelayMs?: number
  /** Signature checking on API calls; on unless explicitly turned off. */
  readonly verifySignatures?: boolean
  readonly maxSkewSeconds?: number
  /** JSON file to load state from at start and save to on changes and close. */
  readonly stateFile?: string
  /** The demo client config (default `server/sandbox/dev-client.json`). */
  readonly devClientPath?: string
  /** More registered clients (tests: a P-521 client, a client with few scopes). */
  readonly extraClients?: readonly DevClient[]
  /** Overrides every subscription's `config.delay` (tests: a few ms). */
  readonly webhookDelayMs?: number
  readonly webhookRetryBaseMs?: number
  readonly webhookRetryMaxMs?: number
  readonly webhookAttemptTimeoutMs?: number
  /** How deliveries are signed: 'draft-06' (default, as the provider does today) or 'draft-15'. */
  readonly webhookSignatureFormat?: WebhookSignatureFormat
  /** How long a "timeout after commit" holds the answer before dropping the connection. */
  readonly timeoutAfterCommitHoldMs?: number
  /** Requests per second per client before 429 (the provider's sandbox: 300); 0 = off (default). */
  readonly rateLimitPerSecond?: number
  /** Log requests to stdout (CLI). */
  readonly logRequests?: boolean
  /** Token for `/__sandbox/` calls (header `x-sandbox-admin-token`); default: random per start. */
  readonly adminToken?: string
}

export type ResolvedOptions = Required<Omit<SandboxOptions, 'stateFile' | 'webhookDelayMs'>> &
  Pick<SandboxOptions, 'stateFile' | 'webhookDelayMs'>

export function resolveOptions(options: SandboxOptions, defaultDevClientPath: string): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? 0,
    prngSeed: options.prngSeed ?? DEFAULT_PRNG_SEED,
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    offboardDelayMs: options.offboardDelayMs ?? DEFAULT_OFFBOARD_DELAY_MS,
    dataChangeDelayMs: options.dataChangeDelayMs ?? DEFAULT_DATA_CHANGE_DELAY_MS,
    verifySignatures: options.verifySignatures ?? true,
    maxSkewSeconds: options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS,
    stateFile: options.stateFile,
    devClientPath: options.devClientPath ?? defaultDevClientPath,
    extraClients: options.extraClients ?? [],
    webhookDelayMs: options.webhookDelayMs,
    webhookRetryBaseMs: options.webhookRetryBaseMs ?? DEFAULT_WEBHOOK_RETRY_BASE_MS,
    webhookRetryMaxMs: options.webhookRetryMaxMs ?? DEFAULT_WEBHOOK_RETRY_MAX_MS,
    webhookAttemptTimeoutMs: options.webhookAttemptTimeoutMs ?? DEFAULT_WEBHOOK_ATTEMPT_TIMEOUT_MS,
    webhookSignatureFormat: options.webhookSignatureFormat ?? 'draft-06',
    timeoutAfterCommitHoldMs: options.timeoutAfterCommitHoldMs ?? DEFAULT_TIMEOUT_AFTER_COMMIT_HOLD_MS,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 0,
    logRequests: options.logRequests ?? false,
    adminToken: options.adminToken ?? randomBytes(24).toString('base64url'),
  }
}
