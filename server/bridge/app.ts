/**
 * Builds the bridge's Fastify app from its parts: receiver, feed, health, and one error
 * shape (problem+json) for everything, including Fastify's own 400/404/413/415. Logs are
 * structured JSON with credentials redacted.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { sendProblem } from './http-problem'
import { redactUrl } from './log-url'

const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.signature', 'req.headers["signature-input"]', 'headers.authorization']

/** Where JSON log lines go (default stdout); tests pass a collector to check what is logged. */
export interface LogSink {
  write(line: string): void
}

export function createBridgeApp(logLevel: string, logSink?: LogSink): FastifyInstance {
  const app = Fastify({
    logger:
      logLevel === 'silent'
        ? false
        : {
            level: logLevel,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            // Method, masked URL and peer only: no headers, no query values (a token sent as `?token=` must not land here).
            serializers: {
              req: (request: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
                method: request.method,
                url: redactUrl(request.url),
                remoteAddress: request.ip ?? request.socket?.remoteAddress,
              }),
            },
            ...(logSink === undefined ? {} : { stream: logSink }),
          },
    // Long-polls end themselves on close (the notifier wakes them); idle keep-alives go at once.
    forceCloseConnections: 'idle',
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    const title = status === 413 ? 'Payload Too Large' : status >= 500 ? 'Internal Server Error' : 'Bad Request'
    const detail = status >= 500 ? 'the bridge could not handle the request; it was not stored' : error.message
    return sendProblem(reply, { status, title, detail, reason: error.code?.toLowerCase() ?? 'error' })
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      status: 404,
      title: 'Not Found',
      detail: `${request.method} ${request.url.split('?')[0]} is not a bridge endpoint`,
      reason: 'not_found',
    }),
  )
  return app
}
