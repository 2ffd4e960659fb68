/**
 * Turns what came back from the API into one `ApiResult`: a 2xx body parsed with the
 * shared schema (an answer that does not parse is `invalid_response`, never data), and
 * every failure into the typed `ApiError` union the sync engine acts on by `kind`.
 */
import type { z } from 'zod'
import type { ApiError, ApiResult } from '../../api-result'
import { safeParseUnknown } from '../../parse'
import { ProblemSchema, type Problem } from '../../schemas/problem'
import { fieldErrorsFromDetail } from './field-errors'
import type { RawOutcome } from './http'
import { parseRetryAfter } from './parse-retry-after'

/** `null` for answers that carry no body (202 Accepted, 204 No Content). */
export type ResponseShape<T> = z.ZodType<T> | null

export function mapOutcome<T>(outcome: RawOutcome, shape: ResponseShape<T>, now: number = Date.now()): ApiResult<T> {
  if (outcome.kind === 'failure') return { ok: false, error: { kind: 'transient', reason: outcome.reason, message: outcome.message } }
  if (outcome.status >= 200 && outcome.status < 300) return parseSuccess(outcome.status, outcome.body, shape)
  return { ok: false, error: mapErrorStatus(outcome.status, outcome.headers, outcome.body, now) }
}

function parseSuccess<T>(status: number, body: string, shape: ResponseShape<T>): ApiResult<T> {
  // A body-less answer has no content to check; T is `null` for these calls by construction.
  if (shape === null) return { ok: true, value: null as T }
  const json = parseJson(body)
  if (!json.ok) return { ok: false, error: { kind: 'invalid_response', status, message: 'the answer is not JSON' } }
  const parsed = safeParseUnknown(shape, json.value)
  if (!parsed.ok) {
    const issues = parsed.issues.slice(0, 5).map((i) => `${i.path || '(root)'}: ${i.message}`)
    return { ok: false, error: { kind: 'invalid_response', status, message: `the answer does not match the schema: ${issues.join('; ')}` } }
  }
  return { ok: true, value: parsed.value }
}

export function mapErrorStatus(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string,
  now: number = Date.now(),
): ApiError {
  const problem = parseProblem(body)
  const message = describe(status, problem)
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now)
  const withProblem = problem ? { problem } : {}
  if (status === 429)
    return { kind: 'transient', reason: 'rate_limited', status, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
  if (status >= 500)
    return { kind: 'transient', reason: 'server', status, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
  if (status === 408) return { kind: 'transient', reason: 'timeout', status, message }
  if (status === 401 || status === 403) return { kind: 'auth', status, message, ...withProblem }
  if (status === 404) return { kind: 'not_found', status, message, ...withProblem }
  if (status === 409) return { kind: 'conflict', status, message, ...withProblem }
  if (status >= 400) return { kind: 'validation', status, message, fieldErrors: fieldErrorsFromDetail(problem?.detail), ...withProblem }
  // 1xx/3xx: we follow no redirects, so the API moved or something in between answered.
  return { kind: 'invalid_response', status, message: `unexpected status ${status}` }
}

function parseProblem(body: string): Problem | undefined {
  const json = parseJson(body)
  if (!json.ok) return undefined
  const parsed = safeParseUnknown(ProblemSchema, json.value)
  return parsed.ok ? parsed.value : undefined
}

function describe(status: number, problem: Problem | undefined): string {
  if (problem?.detail) return problem.title ? `${problem.title}: ${problem.detail}` : problem.detail
  if (problem?.title) return problem.title
  return `HTTP ${status}`
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown }
  } catch {
    return { ok: false }
  }
}
