/**
 * Small helpers the route modules share: reading a header, a UUID path parameter that is
 * a 404 (not a 400) when malformed, cancellable sleeps, and canonical JSON for body hashes.
 */
import { setTimeout as sleepFor } from 'node:timers/promises'
import type { FastifyRequest } from 'fastify'
import { UuidSchema } from '../../shared/schemas'
import { ApiProblem } from './problem'

export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** Unknown or non-UUID ids are both "not found", as settled for this project. */
export function uuidParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UuidSchema.safeParse(value).success) throw new ApiProblem(404, `${what}: no such resource`)
  return value.toLowerCase()
}

export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return
  await sleepFor(ms, undefined, { signal }).catch(() => undefined)
}

/** Same JSON value, same text: object keys sorted, so key order does not count as a different body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
