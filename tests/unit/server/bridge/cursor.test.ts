import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeCursor, encodeCursor } from '../../../../server/bridge/storage/cursor'

describe('feed cursor', () => {
  it('round-trips epoch and sequence number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{4,20}$/), fc.nat({ max: Number.MAX_SAFE_INTEGER }), (epoch, seq) => {
        expect(decodeCursor(encodeCursor({ epoch, seq }))).toEqual({ epoch, seq })
      }),
    )
  })

  it('is opaque: url-safe, no visible sequence number', () => {
    const cursor = encodeCursor({ epoch: 'abcdef', seq: 42 })
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(cursor).not.toContain('42')
  })

  it.each([
    '',
    'not a cursor',
    'AAAA',
    Buffer.from('c1.abcdef.-1').toString('base64url'),
    Buffer.from('c1.abcdef.01').toString('base64url'),
    Buffer.from('c2.abcdef.1').toString('base64url'),
    Buffer.from('c1.ab.1').toString('base64url'),
    Buffer.from('c1.abcdef.1.2').toString('base64url'),
    'x'.repeat(500),
  ])('rejects %j', (value) => {
    expect(decodeCursor(value)).toBeUndefined()
  })
})
