/**
 * The Users API client main uses for every call: headers the API requires, a token by
 * client credentials (refreshed once on 401), every request signed, answers parsed with
 * the shared schemas and every outcome an `ApiResult`. `idempotency-key` comes from the
 * caller (the outbox entry's key) and is never made up here. No retries: the sync engine
 * owns retry policy, and acts on the error's `kind`.
 */
import type { ApiResult } from '../../api-result'
import type { Scope } from '../../schemas/auth'
import { VerifyKeysSchema, type VerifyKeys } from '../../schemas/auth'
import type { CreateUserBody } from '../../schemas/create-user'
import type { DataChangeBody } from '../../schemas/data-change'
import { ListUsersResponseSchema, type ListUsersQuery, type ListUsersResponse } from '../../schemas/list'
import { UserSchema, type User } from '../../schemas/user'
import {
  ListWebhooksResponseSchema,
  WebhookSubscriptionSchema,
  type CreateWebhookBody,
  type ListWebhooksResponse,
  type UpdateWebhookBody,
  type WebhookSubscription,
} from '../../schemas/webhook'
import { createSender, type HttpMethod, type OutgoingRequest, type Send } from './http'
import { mapOutcome, type ResponseShape } from './map-response'
import { createRequestSigner, type RequestSigner } from './sign'
import { createTokenProvider } from './token-provider'

/** Every call ends within this unless the config says otherwise. */
export const DEFAULT_API_TIMEOUT_MS = 15_000
/** The reachability probe must answer fast or count as offline. */
export const PROBE_TIMEOUT_MS = 5_000

export const API_VERSION = '1'

export interface ApiClientConfig {
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly keyId: string
  readonly privateKeyPem: string
  readonly scopes: readonly Scope[]
  /** Hard deadline per HTTP request (token requests included). */
  readonly timeoutMs?: number
  readonly probeTimeoutMs?: number
  /** Clock for token expiry; tests move it forward instead of waiting. */
  readonly now?: () => number
  /** Replaces the default signer (A's http-signature module); tests only. */
  readonly sign?: RequestSigner
  /** Observability hook (counts, logs): never receives secrets. */
  readonly onEvent?: (event: ApiClientEvent) => void
}

export type ApiClientEvent =
  { readonly type: 'token_fetched' } | { readonly type: 'token_rejected'; readonly method: HttpMethod; readonly path: string }

export interface ApiClient {
  createUser(body: CreateUserBody, idempotencyKey: string): Promise<ApiResult<User>>
  getUser(userId: string): Promise<ApiResult<User>>
  listUsers(query?: Partial<ListUsersQuery>): Promise<ApiResult<ListUsersResponse>>
  requestDataChange(userId: string, body: DataChangeBody): Promise<ApiResult<null>>
  offboardUser(userId: string): Promise<ApiResult<null>>
  listWebhooks(): Promise<ApiResult<ListWebhooksResponse>>
  createWebhook(body: CreateWebhookBody): Promise<ApiResult<WebhookSubscription>>
  updateWebhook(webhookId: string, body: UpdateWebhookBody): Promise<ApiResult<WebhookSubscription>>
  deleteWebhook(webhookId: string): Promise<ApiResult<null>>
  testWebhook(webhookId: string): Promise<ApiResult<null>>
  getVerifyKeys(): Promise<ApiResult<VerifyKeys>>
  /** Does anything answer at the API's address? Unauthenticated; any status below 500 counts. */
  probe(): Promise<ApiResult<null>>
}

interface CallSpec<T> {
  readonly method: HttpMethod
  readonly path: string
  readonly query?: OutgoingRequest['query']
  readonly json?: unknown
  readonly idempotencyKey?: string
  readonly shape: ResponseShape<T>
}

export function createApiClient(config: ApiClientConfig): ApiClient {
  const timeoutMs = config.timeoutMs ?? DEFAULT_API_TIMEOUT_MS
  const now = config.now ?? Date.now
  const send: Send = createSender(config.baseUrl, config.sign ?? createRequestSigner(config))
  const baseHeaders = {
    accept: 'application/json',
    'upvest-client-id': config.clientId,
    'upvest-api-version': API_VERSION,
  }
  const tokens = createTokenProvider({
    send,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scopes: config.scopes,
    baseHeaders,
    timeoutMs,
    now,
    onFetched: () => config.onEvent?.({ type: 'token_fetched' }),
  })

  async function call<T>(spec: CallSpec<T>): Promise<ApiResult<T>> {
    const body = spec.json === undefined ? undefined : JSON.stringify(spec.json)
    // One refresh on 401: a token revoked or expired early gets one more chance, never a loop.
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get()
      if (!token.ok) return token
      const headers: Record<string, string> = { ...baseHeaders, authorization: `Bearer ${token.token}` }
      if (body !== undefined) headers['content-type'] = 'application/json'
      if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey
      const outcome = await send({ method: spec.method, path: spec.path, query: spec.query, headers, body, timeoutMs })
      if (outcome.kind === 'response' && outcome.status === 401 && attempt === 0) {
        config.onEvent?.({ type: 'token_rejected', method: spec.method, path: spec.path })
        tokens.invalidate(token.token)
        continue
      }
      return mapOutcome(outcome, spec.shape, now())
    }
  }

  const segment = encodeURIComponent

  return {
    createUser: (body, idempotencyKey) => call({ method: 'POST', path: '/users', json: body, idempotencyKey, shape: UserSchema }),
    getUser: (userId) => call({ method: 'GET', path: `/users/${segment(userId)}`, shape: UserSchema }),
    listUsers: (query = {}) =>
      call({
        method: 'GET',
        path: '/users',
        query: { sort: query.sort, order: query.order, offset: query.offset, limit: query.limit },
        shape: ListUsersResponseSchema,
      }),
    requestDataChange: (userId, body) =>
      call({ method: 'POST', path: `/users/${segment(userId)}/data_change_requests`, json: body, shape: null }),
    offboardUser: (userId) => call({ method: 'DELETE', path: `/users/${segment(userId)}`, shape: null }),
    listWebhooks: () => call({ method: 'GET', path: '/webhooks', shape: ListWebhooksResponseSchema }),
    createWebhook: (body) => call({ method: 'POST', path: '/webhooks', json: body, shape: WebhookSubscriptionSchema }),
    updateWebhook: (webhookId, body) =>
      call({ method: 'PATCH', path: `/webhooks/${segment(webhookId)}`, json: body, shape: WebhookSubscriptionSchema }),
    deleteWebhook: (webhookId) => call({ method: 'DELETE', path: `/webhooks/${segment(webhookId)}`, shape: null }),
    testWebhook: (webhookId) => call({ method: 'POST', path: `/webhooks/${segment(webhookId)}/test`, shape: null }),
    getVerifyKeys: () => call({ method: 'GET', path: '/auth/verify_keys', shape: VerifyKeysSchema }),
    async probe() {
      const outcome = await send({
        method: 'GET',
        path: '/auth/verify_keys',
        headers: baseHeaders,
        timeoutMs: config.probeTimeoutMs ?? PROBE_TIMEOUT_MS,
        unsigned: true,
      })
      if (outcome.kind === 'failure') return { ok: false, error: { kind: 'transient', reason: outcome.reason, message: outcome.message } }
      if (outcome.status >= 500)
        return { ok: false, error: { kind: 'transient', reason: 'server', status: outcome.status, message: `HTTP ${outcome.status}` } }
      return { ok: true, value: null }
    },
  }
}
