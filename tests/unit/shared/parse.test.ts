import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ParseError, parseStrict, parseUnknown, safeParseUnknown } from '../../../shared/parse'
import { ResidentialAddressSchema } from '../../../shared/schemas'

describe('parseUnknown', () => {
  it('returns the typed value when it parses', () => {
    expect(parseUnknown(z.object({ n: z.number() }), { n: 1 } as unknown)).toEqual({ n: 1 })
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

  // Type-level: `npm run typecheck` runs over this file, and an unused @ts-expect-error is itself an error.
  it('refuses at compile time a value whose static type is not unknown', () => {
    const schema = z.object({ n: z.number() })
    const typed = { n: 1 }
    const loose = JSON.parse('{"n":1}')
    // @ts-expect-error a typed value: parse it where it came in, or use parseStrict
    expect(parseUnknown(schema, typed)).toEqual({ n: 1 })
    // @ts-expect-error `any` (here from JSON.parse) must be declared `unknown` first
    expect(parseUnknown(schema, loose)).toEqual({ n: 1 })
    // @ts-expect-error the same holds for the non-throwing form
    expect(safeParseUnknown(schema, typed)).toEqual({ ok: true, value: { n: 1 } })
    expect(parseUnknown(schema, loose as unknown)).toEqual({ n: 1 })
  })
})

describe('parseStrict', () => {
  it('checks a typed value against what its schema says beyond the type', () => {
    const schema = z.object({ url: z.url({ protocol: /^https?$/ }), tags: z.array(z.string()).default([]) })
    expect(parseStrict(schema, { url: 'https://example.org' })).toEqual({ url: 'https://example.org', tags: [] })
    expect(() => parseStrict(schema, { url: 'ftp://example.org' }, 'settings')).toThrow(/^settings: url: /)
    // @ts-expect-error a value that does not even have the schema's input type
    expect(() => parseStrict(schema, { url: 1 })).toThrow(ParseError)
  })
})
