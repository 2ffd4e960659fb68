/**
 * Access tokens by client credentials (`POST /auth/token`, form-encoded, signed): one
 * cached token reused until shortly before it expires, one request in flight at a time,
 * and `invalidate` for the refresh-once-on-401 rule. The secret never leaves this module.
 */
import type { ApiError } from '../../api-result'
import type { Scope } from '../../schemas/auth'
import { TokenResponseSchema } from '../../schemas/auth'
import type { Send } from './http'
import { mapOutcome } from './map-response'

/** Renew this long before expiry, so a token never runs out between our check and the server's. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000
/** ...but never more than this share of a short-lived token's life. */
const MAX_MARGIN_SHARE = 0.1

export type TokenOutcome = { readonly ok: true; readonly token: string } | { readonly ok: false; readonly error: ApiError }

export interface TokenProvider {
  get(): Promise<TokenOutcome>
  /** Drops the cached token if it is still `token` (so concurrent 401s refresh only once). */
  invalidate(token: string): void
}

export interface TokenProviderOptions {
  readonly send: Send
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: readonly Scope[]
  readonly baseHeaders: Readonly<Record<string, string>>
  readonly timeoutMs: number
  readonly now: () => number
  readonly onFetched?: () => void
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  let cached: { token: string; renewAt: number } | undefined
  let inFlight: Promise<TokenOutcome> | undefined

  async function fetchToken(): Promise<TokenOutcome> {
    const body = new URLSearchParams({
      client_id: options.clientId,
      client_secret: options.clientSecret,
      grant_type: 'client_credentials',
      scope: options.scopes.join(' '),
    }).toString()
    const outcome = await options.send({
      method: 'POST',
      path: '/auth/token',
      headers: { ...options.baseHeaders, 'content-type': 'application/x-www-form-urlencoded' },
      body,
      timeoutMs: options.timeoutMs,
    })
    const result = mapOutcome(outcome, TokenResponseSchema, options.now())
    if (!result.ok) {
      // A rejected token request is a credentials problem, whatever status the server chose.
      const error = result.error
      if (error.kind === 'validation' || error.kind === 'not_found' || error.kind === 'conflict') {
        return { ok: false, error: { kind: 'auth', status: error.status, message: `token request rejected: ${error.message}` } }
      }
      return { ok: false, error }
    }
    const lifeMs = result.value.expires_in * 1000
    const margin = Math.min(TOKEN_REFRESH_MARGIN_MS, lifeMs * MAX_MARGIN_SHARE)
    cached = { token: result.value.access_token, renewAt: options.now() + lifeMs - margin }
    options.onFetched?.()
    return { ok: true, token: cached.token }
  }

  return {
    async get() {
      if (cached && options.now() < cached.renewAt) return { ok: true, token: cached.token }
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined
      })
      return inFlight
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined
    },
  }
}
