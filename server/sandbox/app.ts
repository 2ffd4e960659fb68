/**
 * The Fastify instance: raw-body parsers (signatures need the exact bytes), the request
 * id on every answer, fault switches, the per-route guard (client id, signature, token,
 * scope), problem+json errors, and the route modules. Routes hold no auth logic.
 */
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { SIGNATURE_VERSION, verifyRequest } from '../../shared/node/http-signature'
import { assertNever } from '../../shared/assert-never'
import type { Scope } from '../../shared/schemas'
import { ADMIN_TOKEN_HEADER, checkAdminRequest } from './admin-guard'
import type { SandboxContext } from './context'
import { header, sleep } from './http-helpers'
import { ADMIN_PREFIX } from './options'
import { ApiProblem, problemBody } from './problem'
import { registerAdminRoutes } from './routes-admin'
import { registerAuthRoutes } from './routes-auth'
import { registerBackOfficeRoutes } from './routes-back-office'
import { registerUserRoutes } from './routes-users'
import { registerWebhookRoutes } from './routes-webhooks'

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer
  }
  interface FastifyContextConfig {
    /** Token scopes of which one is needed; absent on the token call itself. */
    scopes?: readonly Scope[]
  }
}

const BODY_LIMIT_BYTES = 1024 * 1024

const SECOND_MS = 1000

function isAdmin(request: FastifyRequest): boolean {
  return request.url === ADMIN_PREFIX || request.url.startsWith(`${ADMIN_PREFIX}/`)
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ApiProblem): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value)
  const body = problemBody(problem.status, problem.detail, request.url.split('?')[0] ?? request.url, request.id)
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(body))
}

function registerParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(['application/json', 'application/problem+json'], { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body
    if (body.length === 0) return done(null, undefined)
    try {
      done(null, JSON.parse(body.toString('utf8')) as unknown)
    } catch {
      done(new ApiProblem(400, 'body: is not valid JSON'), undefined)
    }
  })
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body
    done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))))
  })
}

/** A fixed one-second window per client, like the provider's per-client rate limit. */
function createRateLimiter(perSecond: number): (clientId: string) => boolean {
  const windows = new Map<string, { start: number; count: number }>()
  return (clientId) => {
    if (perSecond <= 0) return true
    const now = Date.now()
    const window = windows.get(clientId)
    if (window === undefined || now - window.start >= SECOND_MS) {
      windows.set(clientId, { start: now, count: 1 })
      return true
    }
    window.count += 1
    return window.count <= perSecond
  }
}

function registerFaultHooks(app: FastifyInstance, context: SandboxContext): void {
  const withinRate = createRateLimiter(context.options.rateLimitPerSecond)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('upvest-request-id', request.id)
    if (context.options.logRequests) console.log(`${request.method} ${request.url}`)
    if (isAdmin(request)) {
      const verdict = checkAdminRequest(
        {
          host: header(request, 'host'),
          origin: header(request, 'origin'),
          contentType: header(request, 'content-type'),
          token: header(request, ADMIN_TOKEN_HEADER),
          localPort: request.socket.localPort ?? 0,
        },
        context.options.adminToken,
      )
      if (!verdict.ok) throw new ApiProblem(403, verdict.detail)
      return
    }
    await sleep(context.faults.current.latencyMs, context.closing)
    const decision = context.faults.beforeRequest()
    switch (decision.kind) {
      case 'none':
        break
      case 'drop':
        // Hijacked: fastify neither answers nor runs the handler, so nothing is written.
        reply.hijack()
        request.raw.socket.destroy()
        return reply
      case 'rate_limited':
        throw new ApiProblem(429, 'rate limit exceeded (simulated)', { 'retry-after': String(decision.retryAfterSeconds) })
      case 'server_error':
        throw new ApiProblem(decision.status, 'simulated server error')
      default:
        assertNever(decision, 'fault decision')
    }
    const clientId = header(request, 'upvest-client-id')
    if (clientId !== undefined && !withinRate(clientId)) throw new ApiProblem(429, 'rate limit exceeded', { 'retry-after': '1' })
  })

  // The write is done, the answer never arrives: the client cannot tell whether it worked.
  app.addHook('onSend', async (request, reply, payload) => {
    // Token calls are not resource writes: losing them would only test the token cache.
    if (isAdmin(request) || request.url.startsWith('/auth/') || !context.faults.loseAnswer(request.method, reply.statusCode)) return payload
    await sleep(context.options.timeoutAfterCommitHoldMs, context.closing)
    request.raw.socket.destroy()
    return new Promise<never>(() => undefined)
  })
}

function registerGuard(app: FastifyInstance, context: SandboxContext): void {
  app.addHook('preHandler', async (request) => {
    if (isAdmin(request)) return
    const accept = header(request, 'accept')
    if (accept !== undefined && !/json|\*\/\*|application\/\*/.test(accept))
      throw new ApiProblem(406, 'accept: only application/json is available')
    const clientId = header(request, 'upvest-client-id')
    if (clientId === undefined || clientId === '') throw new ApiProblem(401, 'upvest-client-id: is required')
    if (context.auth.client(clientId) === undefined) throw new ApiProblem(401, 'upvest-client-id: unknown client')
    if (context.options.verifySignatures) {
      const result = verifyRequest({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.rawBody,
        publicKeyFor: (keyId) => context.auth.publicKeyFor(clientId, keyId),
        maxSkewSeconds: context.options.maxSkewSeconds,
      })
      if (!result.ok) throw new ApiProblem(401, `signature: ${result.reason}: ${result.detail}`)
      // The provider reads the signature by its version header; anything else is not draft 15.
      if (header(request, 'upvest-signature-version') !== SIGNATURE_VERSION)
        throw new ApiProblem(401, `upvest-signature-version: must be ${SIGNATURE_VERSION}`)
    }
    const scopes = request.routeOptions.config.scopes
    if (scopes !== undefined) context.auth.authorize(header(request, 'authorization'), clientId, scopes)
  })
}

export function buildApp(context: SandboxContext): FastifyInstance {
  const app = Fastify({ logger: false, genReqId: () => randomUUID(), forceCloseConnections: true, bodyLimit: BODY_LIMIT_BYTES })
  registerParsers(app)
  registerFaultHooks(app, context)
  registerGuard(app, context)

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiProblem) return sendProblem(request, reply, error)
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500
    const detail = status >= 500 ? 'internal error' : error instanceof Error ? error.message : 'bad request'
    if (status >= 500) console.error('sandbox: unhandled error', error)
    return sendProblem(request, reply, new ApiProblem(status, detail))
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new ApiProblem(404, `${request.method} ${request.url.split('?')[0] ?? ''}: no such endpoint`)),
  )

  registerAuthRoutes(app, context)
  registerUserRoutes(app, context)
  registerWebhookRoutes(app, context)
  registerAdminRoutes(app, context)
  registerBackOfficeRoutes(app, context)
  return app
}
