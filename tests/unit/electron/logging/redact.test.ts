// Nothing secret or personal reaches the log file: keys by name, free text by shape, errors included.
import { describe, expect, it } from 'vitest'
import { REDACTED, redact, redactText } from '../../../../electron/services/logging/redact'

const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+abc\n-----END PRIVATE KEY-----'
const JWT = 'eyJhbGciOiJFUzUxMiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'

describe('redactText', () => {
  it.each([
    [`key ${PEM} loaded`, 'key [redacted pem] loaded'],
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
    [`token ${JWT}`, 'token [redacted jwt]'],
    [
      'grant_type=client_credentials&client_secret=s3cr3t&scope=users:read',
      'grant_type=client_credentials&client_secret=[redacted]&scope=users:read',
    ],
    ['{"password":"hunter2"}', '{"password":"[redacted]"}'],
    ['mail anna.schmidt@example.de failed', 'mail [redacted email] failed'],
    ['IBAN DE89 3704 0044 0532 0130 00 given', 'IBAN [redacted iban] given'],
    ['call +49 30 1234567 now', 'call [redacted phone] now'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected)
  })

  it('leaves ordinary log lines alone', () => {
    const line = 'POST /users 202 in 120 ms, entry 3f2a1c9e-0000-4000-8000-000000000000 retry 2'
    expect(redactText(line)).toBe(line)
  })
})

describe('redact', () => {
  it('replaces secrets and personal fields by key at any depth, without touching the input', () => {
    const input = {
      status: 422,
      config: { headers: { Authorization: 'Bearer x', 'Idempotency-Key': 'k' }, clientSecret: 's' },
      user: { first_name: 'Anna' },
      nested: [{ email: 'a@b.de', postal_address: { city: 'Berlin' }, kind: 'create' }],
      privateKeyPem: PEM,
    }
    const copy = structuredClone(input)
    expect(redact(input)).toEqual({
      status: 422,
      config: { headers: { Authorization: REDACTED, 'Idempotency-Key': REDACTED }, clientSecret: REDACTED },
      user: REDACTED,
      nested: [{ email: REDACTED, postal_address: REDACTED, kind: 'create' }],
      privateKeyPem: REDACTED,
    })
    expect(input).toEqual(copy)
  })

  it('redacts error messages, stacks and causes, and drops objects hung on errors', () => {
    const error = Object.assign(new Error('login as anna@example.com failed'), {
      code: 'ERR_BAD_REQUEST',
      config: { data: 'client_secret=abc' },
      cause: { token: 't' },
    })
    const out = redact(error)
    expect(out).toBeInstanceOf(Error)
    const e = out as Error & { code?: string; config?: unknown }
    expect(e.message).toBe('login as [redacted email] failed')
    expect(e.stack).not.toContain('anna@example.com')
    expect(e.code).toBe('ERR_BAD_REQUEST')
    expect(e.config).toBeUndefined()
    expect(e.cause).toEqual({ token: REDACTED })
  })

  it('survives cycles, deep nesting and binary data', () => {
    const a: Record<string, unknown> = { kind: 'loop' }
    a.self = a
    let deep: Record<string, unknown> = { leaf: 1 }
    for (let i = 0; i < 10; i++) deep = { next: deep }
    expect(redact(a)).toEqual({ kind: 'loop', self: '[circular]' })
    expect(JSON.stringify(redact(deep))).toContain('[nested]')
    expect(redact({ raw: Buffer.from('secret bytes') })).toEqual({ raw: '[12 bytes]' })
  })
})
