/** Webhook subscription endpoints and the test delivery. */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { CreateWebhookBodySchema, UpdateWebhookBodySchema } from '../../shared/schemas'
import type { SandboxContext } from './context'
import { uuidParam } from './http-helpers'
import { ApiProblem } from './problem'
import { validate } from './validate'

const READ = ['webhooks:read', 'webhooks:admin'] as const
const ADMIN = ['webhooks:admin'] as const
const MAX_WEBHOOK_PAGE = 1000

const ListWebhooksQuerySchema = z.strictObject({
  offset: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_WEBHOOK_PAGE, `must be at most ${MAX_WEBHOOK_PAGE}`)
    .default(100),
})

export function registerWebhookRoutes(app: FastifyInstance, context: SandboxContext): void {
  const find = (params: unknown) => {
    const id = uuidParam((params as Record<string, unknown>).webhook_id, 'webhook_id')
    const subscription = context.subscriptions.get(id)
    if (subscription === undefined) throw new ApiProblem(404, `webhook_id: no webhook ${id}`)
    return subscription
  }

  app.get('/webhooks', { config: { scopes: READ } }, async (request) => {
    const query = validate(ListWebhooksQuerySchema, request.query)
    const all = context.subscriptions.list()
    const data = all.slice(query.offset, query.offset + query.limit)
    return { meta: { offset: query.offset, limit: query.limit, count: data.length, total_count: all.length }, data }
  })

  app.post('/webhooks', { config: { scopes: ADMIN } }, async (request, reply) => {
    const body = validate(CreateWebhookBodySchema, request.body ?? {})
    const created = context.subscriptions.create(body)
    context.changed()
    return reply.code(201).send(created)
  })

  app.get('/webhooks/:webhook_id', { config: { scopes: READ } }, async (request) => find(request.params))

  app.patch('/webhooks/:webhook_id', { config: { scopes: ADMIN } }, async (request) => {
    const existing = find(request.params)
    const body = validate(UpdateWebhookBodySchema, request.body ?? {})
    const updated = context.subscriptions.update(existing.id, body)
    context.changed()
    return updated
  })

  app.delete('/webhooks/:webhook_id', { config: { scopes: ADMIN } }, async (request, reply) => {
    context.subscriptions.delete(find(request.params).id)
    context.changed()
    return reply.code(204).send()
  })

  // The spec has POST, the issue GET: both answer 202 and send one test package.
  const test = async (request: { params: unknown }, reply: import('fastify').FastifyReply) => {
    context.dispatcher.sendTest(find(request.params))
    return reply.code(202).send()
  }
  app.get('/webhooks/:webhook_id/test', { config: { scopes: ADMIN } }, test)
  app.post('/webhooks/:webhook_id/test', { config: { scopes: ADMIN } }, test)
}
