/**
 * The user endpoints: list (sorted pages), create (idempotent), read, offboard, and data
 * change requests. Lifecycle rules live in `lifecycle.ts`; this module maps HTTP to them.
 */
import type { FastifyInstance } from 'fastify'
import { assertNever } from '../../shared/assert-never'
import { CreateUserBodySchema, DataChangeBodySchema, ListUsersQuerySchema, UuidSchema, type User } from '../../shared/schemas'
import type { SandboxContext } from './context'
import { canonicalJson, header, uuidParam } from './http-helpers'
import { hashBody } from './idempotency'
import { ApiProblem } from './problem'
import { validate } from './validate'

const READ = ['users:read', 'users:admin'] as const
const serialized = new WeakMap<User, Buffer>()
const COMMA = Buffer.from(',')

/** Users are immutable values: each is encoded once, and a page is concatenated bytes. */
function userBytes(user: User): Buffer {
  let bytes = serialized.get(user)
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(user))
    serialized.set(user, bytes)
  }
  return bytes
}

function pageBody(meta: object, users: readonly User[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`{"meta":${JSON.stringify(meta)},"data":[`)]
  users.forEach((user, i) => {
    if (i > 0) parts.push(COMMA)
    parts.push(userBytes(user))
  })
  parts.push(Buffer.from(']}'))
  return Buffer.concat(parts)
}

const ADMIN = ['users:admin'] as const

export function registerUserRoutes(app: FastifyInstance, context: SandboxContext): void {
  app.get('/users', { config: { scopes: READ } }, async (request, reply) => {
    const query = validate(ListUsersQuerySchema, request.query)
    const page = context.users.page(query.sort, query.order, query.offset, query.limit)
    const meta = {
      offset: query.offset,
      limit: query.limit,
      count: page.users.length,
      total_count: page.total,
      sort: query.sort,
      order: query.order,
    }
    return reply.type('application/json; charset=utf-8').send(pageBody(meta, page.users))
  })

  app.post('/users', { config: { scopes: ADMIN } }, async (request, reply) => {
    const key = header(request, 'idempotency-key')
    if (key === undefined || key === '') throw new ApiProblem(400, 'idempotency-key: is required')
    if (!UuidSchema.safeParse(key).success) throw new ApiProblem(400, 'idempotency-key: must be a UUID')
    const clientId = header(request, 'upvest-client-id') ?? ''
    const claim = context.idempotency.claim(clientId, key.toLowerCase(), hashBody(canonicalJson(request.body ?? null)))
    switch (claim.kind) {
      case 'replay':
        return reply.code(claim.answer.status).header('upvest-idempotent-replay', 'true').send(claim.answer.body)
      case 'in_flight':
        throw new ApiProblem(409, 'idempotency-key: a request with this key is still being processed')
      case 'body_mismatch':
        throw new ApiProblem(422, 'idempotency-key: was already used with a different body')
      case 'new':
        break
      default:
        assertNever(claim, 'idempotency claim')
    }
    context.inFlightCreates += 1
    try {
      await context.faults.waitWhileHeld(context.closing)
      const body = validate(CreateUserBodySchema, request.body ?? {})
      const user = context.lifecycle.create(body)
      claim.complete({ status: 200, body: user })
      return reply.code(200).send(user)
    } catch (error) {
      claim.abandon()
      throw error
    } finally {
      context.inFlightCreates -= 1
    }
  })

  app.get('/users/:user_id', { config: { scopes: READ } }, async (request) => {
    const id = uuidParam((request.params as Record<string, unknown>).user_id, 'user_id')
    const user = context.users.get(id)
    if (user === undefined) throw new ApiProblem(404, `user_id: no user ${id}`)
    return user
  })

  app.delete('/users/:user_id', { config: { scopes: ADMIN } }, async (request, reply) => {
    const id = uuidParam((request.params as Record<string, unknown>).user_id, 'user_id')
    context.lifecycle.offboard(id)
    return reply.code(202).send()
  })

  app.post('/users/:user_id/data_change_requests', { config: { scopes: ADMIN } }, async (request, reply) => {
    const id = uuidParam((request.params as Record<string, unknown>).user_id, 'user_id')
    if (context.users.get(id) === undefined) throw new ApiProblem(404, `user_id: no user ${id}`)
    const body = validate(DataChangeBodySchema, request.body ?? {})
    context.lifecycle.requestChange(id, body)
    return reply.code(202).send()
  })
}
