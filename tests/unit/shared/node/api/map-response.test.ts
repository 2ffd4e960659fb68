import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { mapOutcome } from '../../../../../shared/node/api/map-response'

const Shape = z.object({ id: z.string() })
const response = (status: number, body: string, headers: Record<string, string> = {}) => ({
  kind: 'response' as const,
  status,
  headers,
  body,
})
const problem = (status: number, detail: string) => JSON.stringify({ type: 'about:blank', status, title: 'Bad', detail })

describe('mapOutcome', () => {
  it('parses a 2xx body with the schema', () => {
    expect(mapOutcome(response(200, '{"id":"a"}'), Shape)).toEqual({ ok: true, value: { id: 'a' } })
    expect(mapOutcome(response(202, ''), null)).toEqual({ ok: true, value: null })
  })

  it('rejects garbage and wrong shapes as invalid_response', () => {
    const notJson = mapOutcome(response(200, '<html>'), Shape)
    expect(!notJson.ok && notJson.error.kind).toBe('invalid_response')
    const wrong = mapOutcome(response(200, '{"id":1}'), Shape)
    expect(!wrong.ok && wrong.error).toMatchObject({ kind: 'invalid_response', message: expect.stringContaining('id:') })
  })

  it('maps statuses to kinds', () => {
    const kind = (status: number, body = '') => {
      const result = mapOutcome(response(status, body), Shape)
      return result.ok ? 'ok' : result.error.kind
    }
    expect([401, 403].map((s) => kind(s))).toEqual(['auth', 'auth'])
    expect([400, 422].map((s) => kind(s))).toEqual(['validation', 'validation'])
    expect(kind(404)).toBe('not_found')
    expect(kind(409)).toBe('conflict')
    expect([429, 500, 502, 503, 408].map((s) => kind(s))).toEqual(['transient', 'transient', 'transient', 'transient', 'transient'])
    expect(kind(302)).toBe('invalid_response')
  })

  it('keeps Retry-After and field errors', () => {
    expect(mapOutcome(response(429, '', { 'retry-after': '2' }), Shape)).toEqual({
      ok: false,
      error: { kind: 'transient', reason: 'rate_limited', status: 429, retryAfterMs: 2000, message: 'HTTP 429' },
    })
    const invalid = mapOutcome(response(400, problem(400, 'address.postcode: must be 1 to 10 characters')), Shape)
    expect(!invalid.ok && invalid.error).toMatchObject({
      kind: 'validation',
      fieldErrors: [{ field: 'address.postcode', message: 'must be 1 to 10 characters' }],
    })
  })

  it('reports network failures and timeouts as transient', () => {
    expect(mapOutcome({ kind: 'failure', reason: 'timeout', message: 'slow' }, Shape)).toEqual({
      ok: false,
      error: { kind: 'transient', reason: 'timeout', message: 'slow' },
    })
  })
})
