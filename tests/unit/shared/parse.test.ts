import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ParseError, parseUnknown } from '../../../shared/parse'
import { ResidentialAddressSchema } from '../../../shared/schemas'

describe('parseUnknown', () => {
  it('returns the typed value when it parses', () => {
    expect(parseUnknown(z.object({ n: z.number() }), { n: 1 })).toEqual({ n: 1 })
  })

  it('reports every failing field as `path: message` under its context', () => {
    const bad: unknown = { address_line1: 'Postfach 3', postcode: '!', city: 'Berlin', country: 'DE' }
    let caught: unknown
    try {
      parseUnknown(ResidentialAddressSchema, bad, 'settings file')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ParseError)
    const error = caught as ParseError
    expect(error.issues.map((i) => i.path)).toEqual(['address_line1', 'postcode'])
    expect(error.message).toMatch(/^settings file: address_line1: must not be a P.O. box.*; postcode: must be 1 to 10 letters/)
  })
})
