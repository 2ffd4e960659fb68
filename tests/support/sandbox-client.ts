/**
 * A small signing HTTP client for tests and benchmarks of the simulator: fetches tokens
 * by client credentials and signs every request (draft 15) with a dev client's key, with
 * knobs to break the signature on purpose (other key, old `created`, a different body).
 */
import { randomUUID, type KeyObject } from 'node:crypto'
import { signRequest } from '../../shared/node/http-signature'
import type { Scope } from '../../shared/schemas'

export interface SigningIdentity {
  readonly clientId: string
  readonly clientSecret: string
  readonly keyId: string
  readonly privateKey: KeyObject | string
  readonly scopes: readonly Scope[]
}

export interface CallOptions {
  readonly body?: unknown
  /** Send exactly this text instead of JSON of `body` (after signing `body`): tampering. */
  readonly sendBody?: string
  readonly headers?: Readonly<Record<string, string>>
  /** Headers set after signing, replacing what the signer produced: tampering. */
  readonly headersAfterSigning?: Readonly<Record<string, string>>
  readonly idempotencyKey?: string
  /** A token string, false for none, default: a token with all the identity's scopes. */
  readonly token?: string | false
  readonly sign?: boolean
  readonly signWith?: {
    readonly keyId?: string
    readonly privateKey?: KeyObject | string
    readonly created?: number
    readonly expiresInSeconds?: number
  }
  readonly timeoutMs?: number
}

export interface CallResult {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** Parsed JSON, or undefined for an empty body. */
  readonly json: unknown
}

const DEFAULT_TIMEOUT_MS = 20_000

export interface SandboxClient {
  token(scopes?: readonly Scope[]): Promise<string>
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>
}

export function createSandboxClient(baseUrl: string, identity: SigningIdentity): SandboxClient {
  const tokens = new Map<string, string>()

  const send = async (
    method: string,
    path: string,
    options: CallOptions,
    bodyText: string | undefined,
    contentType: string | undefined,
    authorization: string | undefined,
  ): Promise<CallResult> => {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'upvest-client-id': identity.clientId,
      'upvest-api-version': '1',
      ...(authorization === undefined ? {} : { authorization }),
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
      ...(bodyText === undefined ? {} : { 'content-length': String(Buffer.byteLength(bodyText)) }),
      ...(options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey }),
      ...options.headers,
    }
    const signed =
      options.sign === false
        ? {}
        : signRequest({
            method,
            url: path,
            headers,
            body: bodyText,
            keyId: options.signWith?.keyId ?? identity.keyId,
            privateKey: options.signWith?.privateKey ?? identity.privateKey,
            created: options.signWith?.created,
            expiresInSeconds: options.signWith?.expiresInSeconds,
          })
    const sent = options.sendBody ?? bodyText
    const finalHeaders: Record<string, string> = { ...headers, ...signed, ...options.headersAfterSigning }
    if (sent !== undefined) finalHeaders['content-length'] = String(Buffer.byteLength(sent))
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: finalHeaders,
      body: sent,
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    })
    const text = await response.text()
    let json: unknown
    try {
      json = text === '' ? undefined : (JSON.parse(text) as unknown)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  }

  const client: SandboxClient = {
    async token(scopes = identity.scopes) {
      const key = [...scopes].sort().join(' ')
      const cached = tokens.get(key)
      if (cached !== undefined) return cached
      const form = new URLSearchParams({
        client_id: identity.clientId,
        client_secret: identity.clientSecret,
        grant_type: 'client_credentials',
        scope: key,
      }).toString()
      const result = await send('POST', '/auth/token', {}, form, 'application/x-www-form-urlencoded', undefined)
      const body = result.json as { access_token?: unknown } | undefined
      if (result.status !== 200 || typeof body?.access_token !== 'string')
        throw new Error(`token request failed: ${result.status} ${result.text}`)
      tokens.set(key, body.access_token)
      return body.access_token
    },
    async call(method, path, options = {}) {
      const token = options.token === undefined ? await client.token() : options.token
      const bodyText = options.body === undefined ? undefined : JSON.stringify(options.body)
      return send(
        method,
        path,
        options,
        bodyText,
        bodyText === undefined ? undefined : 'application/json',
        token === false ? undefined : `Bearer ${token}`,
      )
    },
  }
  return client
}

export const newIdempotencyKey = (): string => randomUUID()
