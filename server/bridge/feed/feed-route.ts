/**
 * `GET /events?after=&limit=&wait=`: the desktop clients' feed. Answers at once when events
 * are ready; otherwise holds the request until one arrives (woken by the notifier, never by
 * polling the store) or `wait` runs out. 401 without the token, 410 for a cursor retention
 * no longer covers (with the head to restart from), 400 for bad parameters.
 */
import type { FastifyInstance } from 'fastify'
import type { BridgeSubscriptionStatus } from '../../../shared/schemas/bridge-feed'
import type { EventStore, ReadOutcome } from '../storage/event-store'
import { assertNever } from '../../../shared/assert-never'
import { sendProblem } from '../http-problem'
import type { HangUpSignal, Notifier } from './notifier'
import { parseFeedQuery } from './feed-query'
import { createCoalescedReader } from './coalesced-read'
import { createFeedPageEncoder } from './feed-page'

export interface FeedRouteOptions {
  readonly store: EventStore
  readonly notifier: Notifier
  readonly isAuthorized: (authorization: string | undefined) => Promise<boolean>
  readonly maxWaitSeconds: number
  /** Told to every client with each page, so the app can show that live updates are paused. */
  readonly subscriptionStatus: () => BridgeSubscriptionStatus
}

export function registerFeedRoute(app: FastifyInstance, options: FeedRouteOptions): void {
  const { store, notifier } = options
  const read = createCoalescedReader(store, notifier)
  const encodePage = createFeedPageEncoder()

  app.get('/events', async (request, reply) => {
    if (!(await options.isAuthorized(request.headers.authorization))) {
      void reply.header('www-authenticate', 'Bearer realm="outpost-bridge"')
      return sendProblem(reply, { status: 401, title: 'Unauthorized', detail: 'a valid bearer token is required', reason: 'unauthorized' })
    }
    const parsed = parseFeedQuery(request.query, options.maxWaitSeconds)
    if (!parsed.ok) {
      const detail = parsed.issues.map((i) => `${i.path || 'query'}: ${i.message}`).join('; ')
      return sendProblem(reply, { status: 400, title: 'Bad Request', detail, reason: 'invalid_query', issues: parsed.issues })
    }
    const { after, limit, waitMs } = parsed.query

    const deadline = Date.now() + waitMs
    const connection = reply.raw
    let closed = false
    const onClose = (): void => {
      closed = true
    }
    connection.once('close', onClose)
    const hangUp: HangUpSignal = {
      get aborted() {
        return closed
      },
      addEventListener: (_type, listener) => connection.once('close', listener),
      removeEventListener: (_type, listener) => connection.off('close', listener),
    }
    try {
      let outcome: ReadOutcome
      for (;;) {
        // A notify during the read means events may have arrived after its snapshot: read again.
        // Checked instead of waiting from before the read, so a read that finds events costs
        // no timer (hundreds of long-polls wake at once).
        const generation = notifier.generation
        outcome = await read(after, limit)
        const remaining = deadline - Date.now()
        if (outcome.kind !== 'ok' || outcome.events.length > 0 || remaining <= 0) break
        if (notifier.generation !== generation) continue
        const reason = await notifier.wait(remaining, hangUp)
        // The client hung up: its waiter and timer are gone; answer into the void so Fastify can finish.
        if (reason === 'aborted') return reply.code(204).send()
        if (reason !== 'notified') {
          outcome = await read(after, limit)
          break
        }
      }
      switch (outcome.kind) {
        case 'ok':
          return reply.type('application/json').header('cache-control', 'no-store').send(encodePage(outcome, options.subscriptionStatus()))
        case 'gone':
          return sendProblem(reply, {
            status: 410,
            title: 'Gone',
            detail: `cursor is no longer served (${outcome.reason}); reconcile fully, then restart from head_cursor`,
            reason: `cursor_${outcome.reason}`,
            head_cursor: outcome.headCursor,
          })
        case 'invalid':
          return sendProblem(reply, { status: 400, title: 'Bad Request', detail: `after: ${outcome.message}`, reason: 'invalid_cursor' })
        default:
          return assertNever(outcome, 'read outcome')
      }
    } finally {
      connection.off('close', onClose)
    }
  })

  app.get('/events/head', async (request, reply) => {
    if (!(await options.isAuthorized(request.headers.authorization))) {
      return sendProblem(reply, { status: 401, title: 'Unauthorized', detail: 'a valid bearer token is required', reason: 'unauthorized' })
    }
    return reply.header('cache-control', 'no-store').send({ cursor: await store.headCursor() })
  })
}
