/**
 * `POST /documents` (device token): stores a PDF, JPEG or PNG (by magic bytes, capped in
 * size) and answers an https link with an unguessable capability and an expiry. `GET` on
 * that link serves the file without a token until it expires; then it is gone.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { sendProblem } from '../http-problem'
import type { DocumentStore } from './document-store'
import { documentTypeOf } from './document-kind'

const CAPABILITY_BYTES = 32
const CAPABILITY_PATTERN = /^[A-Za-z0-9_-]{43}$/

export interface DocumentsRouteOptions {
  readonly documents: DocumentStore
  readonly isAuthorized: (authorization: string | undefined) => Promise<boolean>
  readonly maxBytes: number
  readonly ttlMs: number
  /** Base of the links handed out (the public URL when there is one). */
  readonly linkBase: () => string
}

const hashCapability = (capability: string): string => createHash('sha256').update(capability, 'utf8').digest('hex')

export async function registerDocumentsRoute(app: FastifyInstance, options: DocumentsRouteOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

    scope.post('/documents', { bodyLimit: options.maxBytes }, async (request, reply) => {
      if (!(await options.isAuthorized(request.headers.authorization))) {
        void reply.header('www-authenticate', 'Bearer realm="outpost-bridge"')
        return sendProblem(reply, {
          status: 401,
          title: 'Unauthorized',
          detail: 'a valid bearer token is required',
          reason: 'unauthorized',
        })
      }
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const contentType = documentTypeOf(body)
      if (contentType === undefined) {
        return sendProblem(reply, {
          status: 415,
          title: 'Unsupported Media Type',
          detail: 'a proof document must be a PDF, JPEG or PNG file',
          reason: 'unsupported_document',
        })
      }
      const capability = randomBytes(CAPABILITY_BYTES).toString('base64url')
      const createdAt = Date.now()
      const expiresAt = createdAt + options.ttlMs
      await options.documents.put({ capabilityHash: hashCapability(capability), contentType, body, createdAt, expiresAt })
      const url = new URL(`documents/${capability}`, options.linkBase().replace(/\/*$/, '/')).href
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ url, content_type: contentType, bytes: body.length, expires_at: new Date(expiresAt).toISOString() })
    })

    scope.get<{ Params: { capability: string } }>('/documents/:capability', async (request, reply) => {
      const { capability } = request.params
      const found = CAPABILITY_PATTERN.test(capability) ? await options.documents.get(hashCapability(capability), Date.now()) : undefined
      if (found === undefined)
        return sendProblem(reply, { status: 404, title: 'Not Found', detail: 'no such document, or it expired', reason: 'not_found' })
      return reply
        .type(found.contentType)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'attachment')
        .send(found.body)
    })
  })
}
