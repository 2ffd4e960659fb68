/**
 * One typed outcome for every API call, so the sync engine acts on `kind` and never on
 * message strings. Built by the API client in main; carried over IPC as plain data.
 */
import { z } from 'zod'
import { ProblemSchema } from './schemas/problem'

export const FieldErrorSchema = z.object({ field: z.string(), message: z.string() })
export type FieldError = z.infer<typeof FieldErrorSchema>

/** `app_service`: the renderer could not reach main (or the web host) at all: no request left the machine. */
export const TRANSIENT_REASONS = ['network', 'timeout', 'server', 'rate_limited', 'app_service'] as const

export const ApiErrorSchema = z.discriminatedUnion('kind', [
  /** Worth retrying later: network, timeout, 5xx, 429. `retryAfterMs` when the server said so. */
  z.object({
    kind: z.literal('transient'),
    reason: z.enum(TRANSIENT_REASONS),
    status: z.number().int().optional(),
    retryAfterMs: z.number().int().min(0).optional(),
    message: z.string(),
  }),
  /** Credentials rejected even after one token refresh, or a missing scope (403). */
  z.object({ kind: z.literal('auth'), status: z.number().int(), message: z.string(), problem: ProblemSchema.optional() }),
  /** 400/422: the request is wrong; `fieldErrors` name what to fix. */
  z.object({
    kind: z.literal('validation'),
    status: z.number().int(),
    message: z.string(),
    fieldErrors: z.array(FieldErrorSchema),
    problem: ProblemSchema.optional(),
  }),
  z.object({ kind: z.literal('not_found'), status: z.literal(404), message: z.string(), problem: ProblemSchema.optional() }),
  z.object({ kind: z.literal('conflict'), status: z.literal(409), message: z.string(), problem: ProblemSchema.optional() }),
  /** The server answered something that does not parse with our schema: an error, not data. */
  z.object({ kind: z.literal('invalid_response'), status: z.number().int().optional(), message: z.string() }),
  /** The app is not configured (no API URL or credentials yet). */
  z.object({ kind: z.literal('not_configured'), message: z.string() }),
])
export type ApiError = z.infer<typeof ApiErrorSchema>
export type ApiErrorKind = ApiError['kind']

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError }

export function apiResultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: ApiErrorSchema })])
}

export function isPermanent(error: ApiError): boolean {
  return error.kind === 'validation' || error.kind === 'not_found' || error.kind === 'conflict' || error.kind === 'invalid_response'
}
