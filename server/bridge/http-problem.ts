/**
 * Every bridge error goes out as `application/problem+json` (RFC 7807, like the API), so
 * the API's delivery logs and the desktop poller get a machine-readable reason.
 */
import type { FastifyReply } from 'fastify'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export interface ProblemFields {
  readonly status: number
  readonly title: string
  readonly detail?: string
  /** A short stable code clients and logs can match on, e.g. `bad_signature`. */
  readonly reason?: string
  readonly [extra: string]: unknown
}

export function sendProblem(reply: FastifyReply, problem: ProblemFields): FastifyReply {
  const type = problem.reason === undefined ? 'about:blank' : `urn:outpost:bridge:${problem.reason}`
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ type, instance: reply.request.url.split('?')[0], request_id: reply.request.id, ...problem }))
}
