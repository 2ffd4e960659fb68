import { describe, expect, it } from 'vitest'
import { parseDictionary, serializeInnerList, StructuredFieldError } from '../../../../../shared/node/http-signature/structured-fields'

describe('structured fields', () => {
  it('round-trips an inner list with parameters and keeps the raw member text', () => {
    const raw = serializeInnerList(
      ['@method', 'content-digest'],
      [
        ['keyid', 'k "1"'],
        ['created', 1700000000],
        ['flag', true],
      ],
    )
    expect(raw).toBe('("@method" "content-digest");keyid="k \\"1\\"";created=1700000000;flag')
    const [member] = parseDictionary(`sig1=${raw}, sig2=:AAEC:`)
    expect(member?.raw).toBe(raw)
    expect(member?.items).toEqual(['@method', 'content-digest'])
    expect(member?.params.get('keyid')).toBe('k "1"')
    expect(member?.params.get('created')).toBe(1700000000)
    expect(parseDictionary('sig2=:AAEC:')[0]?.bytes).toEqual(Buffer.from([0, 1, 2]))
  })

  it('refuses broken input with a StructuredFieldError', () => {
    for (const bad of ['sig1=("a"', 'sig1=:!!:', 'Sig1=("a")', 'sig1=("a");keyid="x', 'sig1=("a") junk']) {
      expect(() => parseDictionary(bad), bad).toThrow(StructuredFieldError)
    }
  })
})
