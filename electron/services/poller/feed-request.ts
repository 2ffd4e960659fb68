/**
 * One long-poll request to the bridge feed (`GET /events?after=&limit=&wait=`, bearer
 * token), read into a typed outcome. The request has a hard deadline a little past the
 * server's wait, so a connection that died in sleep is noticed instead of trusted.
 */
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { z } from 'zod'
import { safeParseUnknown } from '../../../shared/parse'
import { BridgeSubscriptionStatusSchema, type BridgeSubscriptionStatus } from '../../../shared/schemas/bridge-feed'
import { UserEventSchema, type UserEvent } from '../../../shared/schemas/events'

export type FeedOutcome =
  | {
      readonly kind: 'batch'
      readonly events: readonly UserEvent[]
      readonly nextCursor: string
      readonly skipped: number
      /** The bridge's webhook subscription, when it says (older bridges do not). */
      readonly subscription?: BridgeSubscriptionStatus
    }
  /** The cursor is older than the bridge keeps: reconcile fully, restart at `headCursor`. */
  | { readonly kind: 'gone'; readonly reason: string; readonly headCursor: string | undefined }
  /** The bridge does not know the cursor at all (another bridge, corrupt file). */
  | { readonly kind: 'invalid_cursor'; readonly message: string }
  | { readonly kind: 'woken' }
  | { readonly kind: 'failure'; readonly message: string; readonly status?: number }

export interface FeedRequest {
  readonly bridgeUrl: string
  readonly token: string
  readonly after: string | undefined
  readonly waitSeconds: number
  readonly limit: number
  readonly timeoutMs: number
  /** Aborted when the poller is woken (resume, unlock, network change) or stopped. */
  readonly wake: AbortSignal
}

const FeedBodySchema = z.object({ events: z.array(z.unknown()), next_cursor: z.string().min(1), subscription: z.unknown().optional() })
const GoneBodySchema = z.object({ head_cursor: z.string().min(1).optional(), reason: z.string().optional(), detail: z.string().optional() })
const BadRequestSchema = z.object({ reason: z.string().optional(), detail: z.string().optional() })

export async function requestFeed(request: FeedRequest): Promise<FeedOutcome> {
  const url = new URL(request.bridgeUrl.replace(/\/+$/, '') + '/events')
  if (request.after !== undefined) url.searchParams.set('after', request.after)
  url.searchParams.set('limit', String(request.limit))
  url.searchParams.set('wait', String(request.waitSeconds))
  const deadline = AbortSignal.timeout(request.timeoutMs)
  let response: { status: number; text: string }
  try {
    response = await getText(
      url,
      { authorization: `Bearer ${request.token}`, accept: 'application/json' },
      AbortSignal.any([request.wake, deadline]),
    )
  } catch (error) {
    if (request.wake.aborted) return { kind: 'woken' }
    if (deadline.aborted) return { kind: 'failure', message: `no answer from the bridge within ${request.timeoutMs} ms` }
    return { kind: 'failure', message: `bridge unreachable: ${error instanceof Error ? error.message : String(error)}` }
  }
  const text = response.text
  const json = parseJson(text)
  if (response.status === 200) {
    const body = safeParseUnknown(FeedBodySchema, json)
    if (!body.ok) return { kind: 'failure', status: 200, message: 'the bridge answered something that is not a feed page' }
    const events: UserEvent[] = []
    for (const raw of body.value.events) {
      const event = safeParseUnknown(UserEventSchema, raw)
      if (event.ok) events.push(event.value)
    }
    // An unreadable subscription status is left out: it must not cost the batch.
    const subscription = safeParseUnknown(BridgeSubscriptionStatusSchema, body.value.subscription)
    return {
      kind: 'batch',
      events,
      nextCursor: body.value.next_cursor,
      skipped: body.value.events.length - events.length,
      ...(subscription.ok ? { subscription: subscription.value } : {}),
    }
  }
  if (response.status === 410) {
    const body = safeParseUnknown(GoneBodySchema, json)
    return {
      kind: 'gone',
      reason: (body.ok && (body.value.reason ?? body.value.detail)) || 'cursor gone',
      headCursor: body.ok ? body.value.head_cursor : undefined,
    }
  }
  if (response.status === 400) {
    const body = safeParseUnknown(BadRequestSchema, json)
    if (body.ok && body.value.reason === 'invalid_cursor') return { kind: 'invalid_cursor', message: body.value.detail ?? 'invalid cursor' }
  }
  return { kind: 'failure', status: response.status, message: `the bridge answered ${response.status}` }
}

/**
 * A GET on its own connection (no keep-alive pool): an aborted long-poll destroys its socket,
 * so neither side keeps a half-used connection around after sleep, a wake, or a stop.
 */
function getText(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(url, { method: 'GET', headers, agent: false, signal }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
      res.on('close', () => {
        if (!res.complete) reject(new Error('the connection closed mid-answer'))
      })
    })
    req.on('error', reject)
    req.end()
  })
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
