/**
 * `POST <receiverPath>`: the API's webhook deliveries. Order matters and is the point:
 * size limit on the raw bytes (413, storage untouched), signature and replay window on
 * those bytes (401), JSON (400), every event against the shared schema (422), the whole
 * batch stored in one transaction, deduplicated, and only then 200 (the store wakes the feed).
 */
import type { FastifyInstance } from 'fastify'
import { assertNever } from '../../../shared/assert-never'
import { sendProblem } from '../http-problem'
import type { EventStore } from '../storage/event-store'
import { parseDelivery } from './parse-delivery'
import { verifyDelivery } from './verify-delivery'
import type { VerifyKeyCache } from './verify-key-cache'

/** How long the API should wait before retrying when the bridge cannot check signatures. */
const KEYS_UNAVAILABLE_RETRY_AFTER_SECONDS = 30

const queryOf = (url: string): string => {
  const at = url.indexOf('?')
  return at === -1 ? '' : url.slice(at)
}

export interface ReceiverRouteOptions {
  readonly path: string
  /** The path the API signs (`@path`): the public receiver URL's, which differs behind a path-prefixing proxy. */
  readonly signedPath: string
  readonly maxBodyBytes: number
  readonly replayWindowSeconds: number
  readonly store: EventStore
  readonly keys: VerifyKeyCache
  readonly onStored: (at: number) => void
  /** A verified test delivery arrived (the subscription monitor's probe, or a person's). */
  readonly onTestDelivery: (at: number) => void
}

export async function registerReceiverRoute(app: FastifyInstance, options: ReceiverRouteOptions): Promise<void> {
  await app.register(async (scope) => {
    // Signatures cover the exact bytes: keep them raw, whatever content-type claims.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

    scope.post(options.path, { bodyLimit: options.maxBodyBytes }, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const verdict = await verifyDelivery(
        { method: request.method, url: `${options.signedPath}${queryOf(request.url)}`, headers: request.headers, body },
        { keys: options.keys, replayWindowSeconds: options.replayWindowSeconds },
      )
      switch (verdict.kind) {
        case 'verified':
          break
        case 'keys_unavailable':
          request.log.error({ detail: verdict.detail }, 'cannot verify delivery: verify keys unavailable')
          void reply.header('retry-after', String(KEYS_UNAVAILABLE_RETRY_AFTER_SECONDS))
          return sendProblem(reply, {
            status: 503,
            title: 'Service Unavailable',
            detail: 'verify keys unavailable',
            reason: 'keys_unavailable',
          })
        case 'rejected':
          request.log.warn({ reason: verdict.reason, detail: verdict.detail }, 'delivery rejected: signature')
          return sendProblem(reply, { status: 401, title: 'Unauthorized', detail: verdict.detail, reason: verdict.reason })
        default:
          return assertNever(verdict, 'delivery verdict')
      }

      const parsed = parseDelivery(body)
      switch (parsed.kind) {
        case 'malformed':
          request.log.warn({ detail: parsed.detail }, 'delivery rejected: malformed')
          return sendProblem(reply, { status: 400, title: 'Bad Request', detail: parsed.detail, reason: 'malformed_body' })
        case 'invalid': {
          const detail = parsed.issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')
          request.log.warn({ detail }, 'delivery rejected: invalid event')
          return sendProblem(reply, { status: 422, title: 'Unprocessable Entity', detail, reason: 'invalid_event', issues: parsed.issues })
        }
        case 'test':
          options.onTestDelivery(Date.now())
          request.log.info({ keyId: verdict.keyId }, 'test delivery acknowledged')
          return reply.send({ received: parsed.events, stored: 0, duplicates: 0, test: true })
        case 'ok':
          break
        default:
          return assertNever(parsed, 'parsed delivery')
      }

      const receivedAt = Date.now()
      const result = await options.store.appendBatch(parsed.events, receivedAt)
      options.onStored(receivedAt)
      request.log.info(
        { keyId: verdict.keyId, format: verdict.format, events: parsed.events.length, stored: result.inserted.length },
        'delivery stored',
      )
      return reply.send({ received: parsed.events.length, stored: result.inserted.length, duplicates: result.duplicates })
    })
  })
}
