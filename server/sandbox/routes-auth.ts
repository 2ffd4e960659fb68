/** `POST /auth/token` (client credentials) and `GET /auth/verify_keys` (webhook JWKS). */
import type { FastifyInstance } from 'fastify'
import { jwksFromKeys } from '../../shared/node/http-signature'
import { TokenRequestSchema } from '../../shared/schemas'
import type { SandboxContext } from './context'
import { header } from './http-helpers'
import { validate } from './validate'

export function registerAuthRoutes(app: FastifyInstance, context: SandboxContext): void {
  app.post('/auth/token', async (request, reply) => {
    const body = validate(TokenRequestSchema, request.body ?? {})
    const answer = context.auth.issue(body, header(request, 'upvest-client-id') ?? '')
    return reply.code(200).send(answer)
  })

  app.get('/auth/verify_keys', { config: { scopes: ['webhooks:read', 'webhooks:admin'] } }, async () =>
    jwksFromKeys([{ kid: context.webhookKey.keyId, key: context.webhookKey.privateKey }]),
  )
}
