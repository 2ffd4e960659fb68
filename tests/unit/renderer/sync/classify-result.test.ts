import { describe, expect, it } from 'vitest'
import type { ApiError } from '../../../../shared/api-result'
import { classifyRead, classifyResult, toOutboxError } from '../../../../renderer/src/sync/classify-result'
import { serverUser } from '../../../support/sync/fixtures'

const fail = (error: ApiError) => ({ ok: false as const, error })

describe('classifyResult', () => {
  it('maps successes per kind', () => {
    const user = serverUser()
    expect(classifyResult('create', { ok: true, value: user })).toEqual({ kind: 'created', user })
    expect(classifyResult('dataChange', { ok: true, value: null }).kind).toBe('accepted')
    expect(classifyResult('offboard', { ok: true, value: null }).kind).toBe('done')
  })

  it('retries transient errors and carries Retry-After', () => {
    const outcome = classifyResult(
      'create',
      fail({ kind: 'transient', reason: 'rate_limited', status: 429, retryAfterMs: 2_000, message: '429' }),
    )
    expect(outcome).toMatchObject({ kind: 'retry', retryAfterMs: 2_000 })
    expect(classifyResult('offboard', fail({ kind: 'transient', reason: 'server', status: 503, message: '503' })).kind).toBe('retry')
  })

  it('refused or missing credentials pause the client instead of counting against the entry', () => {
    // Main already refreshed the token once; retrying each entry would hammer the API (rule 12).
    expect(classifyResult('offboard', fail({ kind: 'auth', status: 401, message: 'no' })).kind).toBe('credentials')
    expect(classifyResult('create', fail({ kind: 'not_configured', message: 'no client id' })).kind).toBe('credentials')
  })

  it('parks permanent errors with their field errors', () => {
    const error: ApiError = {
      kind: 'validation',
      status: 400,
      message: 'bad',
      fieldErrors: [{ field: 'address.address_line1', message: 'P.O. box' }],
    }
    const outcome = classifyResult('create', fail(error))
    expect(outcome).toEqual({ kind: 'park', error })
    expect(toOutboxError(error)).toEqual({ kind: 'validation', message: 'bad', status: 400, fieldErrors: error.fieldErrors })
    expect(classifyResult('dataChange', fail({ kind: 'not_found', status: 404, message: 'gone' })).kind).toBe('park')
  })

  it('reads 409 by kind: offboard done, data change pending, create retried', () => {
    const conflict: ApiError = { kind: 'conflict', status: 409, message: 'conflict' }
    expect(classifyResult('offboard', fail(conflict)).kind).toBe('done')
    expect(classifyResult('dataChange', fail(conflict)).kind).toBe('accepted')
    expect(classifyResult('create', fail(conflict)).kind).toBe('retry')
  })
})

describe('classifyRead (the read before a data change is sent)', () => {
  it('parks the change when the server no longer has the user, pauses for credentials, retries the rest', () => {
    expect(classifyRead({ kind: 'not_found', status: 404, message: 'no' })).toMatchObject({ kind: 'park', error: { message: 'the user no longer exists on the server' } })
    expect(classifyRead({ kind: 'auth', status: 401, message: 'no' }).kind).toBe('credentials')
    expect(classifyRead({ kind: 'transient', reason: 'rate_limited', status: 429, retryAfterMs: 500, message: '429' })).toMatchObject({ kind: 'retry', retryAfterMs: 500 })
    expect(classifyRead({ kind: 'validation', status: 400, message: 'bad id', fieldErrors: [] }).kind).toBe('retry')
    expect(classifyRead({ kind: 'conflict', status: 409, message: '?' }).kind).toBe('retry')
  })
})
