/** Each field rule of the API has a rejecting case whose error names the field's path. */
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { safeParseUnknown } from '../../../shared/parse'
import {
  AddressChangeSchema,
  BirthDateSchema,
  BridgeFeedResponseSchema,
  CalendarDateSchema,
  CreateUserBodySchema,
  CreateWebhookBodySchema,
  DataChangeSchema,
  ExtendedCreateUserBodySchema,
  ListUsersQuerySchema,
  NameChangeSchema,
  NationalityChangeSchema,
  OtherChangeSchema,
  PlainCreateUserBodySchema,
  ProblemSchema,
  ResidentialAddressSchema,
  TokenRequestSchema,
  UserEventSchema,
  UserSchema,
  WebhookBodySchema,
  WebhookDeliverySchema,
  eventUserId,
} from '../../../shared/schemas'

const address = { address_line1: 'Rosenweg 221', address_line2: 'apt. 33', postcode: '45678', city: 'Berlin', state: 'BE', country: 'DE' }
const createBody = {
  first_name: 'Karl',
  last_name: 'Schmidt',
  salutation: 'SALUTATION_MALE',
  title: 'DR',
  birth_date: '1972-09-30',
  birth_city: 'Berlin',
  birth_country: 'DE',
  birth_name: 'Schmidt',
  nationalities: ['DE', 'AU'],
  address,
  postal_address: address,
}
const user = { ...createBody, id: '83d83ec2-d2ca-49ff-bbea-b92b5c3be202', created_at: '2021-07-21T14:10:00.00Z', updated_at: '2021-07-21T14:10:00.00Z', status: 'ACTIVE' }
const proof = { issuance_date: '2024-01-01', data_download_link: 'https://bucket.example.com/ident/user3.zip' }

/** The paths of every issue, so a test names exactly which field failed. */
function rejectedPaths(schema: z.ZodType, value: unknown): string[] {
  const parsed = safeParseUnknown(schema, value)
  return parsed.ok ? [] : parsed.issues.map((issue) => issue.path)
}

function messageAt(schema: z.ZodType, value: unknown, path: string): string | undefined {
  const parsed = safeParseUnknown(schema, value)
  return parsed.ok ? undefined : parsed.issues.find((issue) => issue.path === path)?.message
}

const withAddress = (patch: Record<string, unknown>) => ({ ...createBody, address: { ...address, ...patch } })
const tooLong = (n: number) => 'x'.repeat(n + 1)

describe('create user body', () => {
  it('accepts a complete plain body and one without optional fields', () => {
    expect(rejectedPaths(CreateUserBodySchema, createBody)).toEqual([])
    const { salutation: _s, title: _t, birth_city: _c, birth_country: _bc, birth_name: _bn, postal_address: _p, ...minimal } = createBody
    expect(rejectedPaths(CreateUserBodySchema, minimal)).toEqual([])
  })

  it.each([
    ['first_name', { first_name: 'K' }],
    ['first_name', { first_name: tooLong(100) }],
    ['last_name', { last_name: 'S' }],
    ['last_name', { last_name: tooLong(100) }],
    ['birth_date', { birth_date: '30.09.1972' }],
    ['birth_date', { birth_date: '1972-02-30' }],
    ['birth_date', { birth_date: '2999-01-01' }],
    ['birth_city', { birth_city: '' }],
    ['birth_city', { birth_city: tooLong(85) }],
    ['birth_country', { birth_country: 'de' }],
    ['birth_country', { birth_country: 'XX' }],
    ['birth_name', { birth_name: tooLong(100) }],
    ['salutation', { salutation: 'MR' }],
    ['title', { title: 'SIR' }],
    ['nationalities', { nationalities: [] }],
    ['nationalities.1', { nationalities: ['DE', 'GER'] }],
  ])('rejects a bad %s', (path, patch) => {
    expect(rejectedPaths(PlainCreateUserBodySchema, { ...createBody, ...patch })).toContain(path)
  })

  it.each([
    ['address.address_line1', { address_line1: '' }],
    ['address.address_line1', { address_line1: tooLong(100) }],
    ['address.address_line2', { address_line2: tooLong(100) }],
    ['address.postcode', { postcode: '12345678901' }],
    ['address.postcode', { postcode: '10115!' }],
    ['address.postcode', { postcode: '' }],
    ['address.city', { city: '' }],
    ['address.city', { city: tooLong(85) }],
    ['address.state', { state: tooLong(50) }],
    ['address.country', { country: 'Germany' }],
  ])('rejects a bad %s', (path, patch) => {
    expect(rejectedPaths(PlainCreateUserBodySchema, withAddress(patch))).toContain(path)
  })

  it('names the postcode rule in plain words', () => {
    expect(messageAt(PlainCreateUserBodySchema, withAddress({ postcode: '10115!' }), 'address.postcode')).toMatch(/letters, digits, spaces or hyphens/)
  })

  it.each(['P.O. Box 12', 'PO Box 77', 'Postfach 1234', 'c/o Müller', 'care of Jane Doe'])('rejects a residential address naming "%s"', (line) => {
    expect(rejectedPaths(PlainCreateUserBodySchema, withAddress({ address_line1: line }))).toContain('address.address_line1')
    expect(rejectedPaths(PlainCreateUserBodySchema, withAddress({ address_line2: line }))).toContain('address.address_line2')
  })

  it('does not mistake ordinary street names for a P.O. box', () => {
    for (const line of ['Postweg 3', 'Cobbler Lane 4', 'Pobieda 2', 'Boxhagener Str. 1']) {
      expect(rejectedPaths(ResidentialAddressSchema, { ...address, address_line1: line })).toEqual([])
    }
  })

  it('allows a P.O. box as the postal address, and a null postal address', () => {
    expect(rejectedPaths(PlainCreateUserBodySchema, { ...createBody, postal_address: { ...address, address_line1: 'Postfach 1234' } })).toEqual([])
    expect(rejectedPaths(PlainCreateUserBodySchema, { ...createBody, postal_address: null })).toEqual([])
  })

  it('rejects fields the API does not know', () => {
    expect(rejectedPaths(PlainCreateUserBodySchema, { ...createBody, nickname: 'Kalle' })).toEqual([''])
  })

  describe('extended shape (email, phone, FATCA, consents)', () => {
    const consent = { consent_document_id: 'a1752f00-93d5-4b77-a148-959cd315581b', confirmed_at: '2021-11-22T09:04:42Z' }
    const extended = {
      ...createBody,
      email: 'karl@example.com',
      phone_number: '4915112345678',
      fatca: { status: false, confirmed_at: '2021-11-22T09:04:42Z' },
      terms_and_conditions: consent,
      data_privacy_and_sharing_agreement: consent,
    }

    it('accepts a complete extended body', () => {
      expect(rejectedPaths(ExtendedCreateUserBodySchema, extended)).toEqual([])
      expect(rejectedPaths(CreateUserBodySchema, extended)).toEqual([])
    })

    it.each([
      ['email', { email: 'not-an-email' }],
      ['email', { email: `${tooLong(95)}@x.de` }],
      ['phone_number', { phone_number: '+49 151 123' }],
      ['phone_number', { phone_number: '1234567' }],
      ['fatca.confirmed_at', { fatca: { status: true, confirmed_at: 'yesterday' } }],
      ['terms_and_conditions.consent_document_id', { terms_and_conditions: { ...consent, consent_document_id: 'abc' } }],
      ['birth_city', { birth_city: undefined }],
    ])('rejects a bad %s', (path, patch) => {
      expect(rejectedPaths(ExtendedCreateUserBodySchema, { ...extended, ...patch })).toContain(path)
    })
  })
})

describe('user as read from the API', () => {
  it('reads both shapes', () => {
    expect(rejectedPaths(UserSchema, user)).toEqual([])
    expect(rejectedPaths(UserSchema, { ...user, email: 'karl@example.com', phone_number: '' })).toEqual([])
  })

  it.each([
    ['status', { status: 'DELETED' }],
    ['id', { id: 'user-1' }],
    ['updated_at', { updated_at: '21.07.2021' }],
  ])('rejects a bad %s', (path, patch) => {
    expect(rejectedPaths(UserSchema, { ...user, ...patch })).toContain(path)
  })
})

describe('data change bodies', () => {
  it('accepts each kind with its proof', () => {
    expect(rejectedPaths(NameChangeSchema, { first_name: 'Karla', last_name: 'Schmidt', ...proof, document_type: 'PASSPORT' })).toEqual([])
    expect(rejectedPaths(NationalityChangeSchema, { nationalities: ['FR'], ...proof, document_type: 'ID_CARD' })).toEqual([])
    expect(rejectedPaths(AddressChangeSchema, { address, ...proof, document_type: 'UTILITY_BILL' })).toEqual([])
    expect(rejectedPaths(OtherChangeSchema, { title: 'PROF' })).toEqual([])
  })

  it('limits the document type to those allowed for the kind', () => {
    expect(rejectedPaths(NameChangeSchema, { first_name: 'Karla', last_name: 'Schmidt', ...proof, document_type: 'UTILITY_BILL' })).toContain('document_type')
    expect(rejectedPaths(AddressChangeSchema, { address, ...proof, document_type: 'PASSPORT' })).toContain('document_type')
  })

  it('requires the proof fields for name, nationality and address changes', () => {
    const paths = rejectedPaths(NameChangeSchema, { first_name: 'Karla', last_name: 'Schmidt' })
    expect(paths).toEqual(expect.arrayContaining(['issuance_date', 'data_download_link', 'document_type']))
  })

  it.each([
    ['issuance_date', { issuance_date: '2024-13-01' }],
    ['data_download_link', { data_download_link: 'not a url' }],
    ['data_download_link', { data_download_link: 'javascript:alert(1)' }],
  ])('rejects a bad %s', (path, patch) => {
    expect(rejectedPaths(NationalityChangeSchema, { nationalities: ['FR'], ...proof, document_type: 'ID_CARD', ...patch })).toContain(path)
  })

  it('applies the residential rule to an address change', () => {
    expect(rejectedPaths(AddressChangeSchema, { address: { ...address, address_line1: 'Postfach 9' }, ...proof, document_type: 'BANK_STATEMENT' })).toContain('address.address_line1')
  })

  it('rejects an "other" change that changes nothing', () => {
    expect(rejectedPaths(OtherChangeSchema, {})).toEqual([''])
  })

  it('tags the app-level change with its kind and checks the body of that kind', () => {
    expect(rejectedPaths(DataChangeSchema, { kind: 'nationality', body: { nationalities: [], ...proof, document_type: 'ID_CARD' } })).toContain('body.nationalities')
    expect(rejectedPaths(DataChangeSchema, { kind: 'birthday', body: {} })).toContain('kind')
  })
})

describe('list query', () => {
  it('coerces query strings and fills defaults', () => {
    const parsed = safeParseUnknown(ListUsersQuerySchema, { limit: '1000', offset: '5' } as unknown)
    expect(parsed).toEqual({ ok: true, value: { sort: 'created_at', order: 'ASC', offset: 5, limit: 1000 } })
    expect(safeParseUnknown(ListUsersQuerySchema, { limit: '0', offset: '2147483647' } as unknown)).toMatchObject({
      ok: true,
      value: { limit: 0, offset: 2_147_483_647 },
    })
  })

  it.each([
    ['limit', { limit: '1001' }],
    ['limit', { limit: '-1' }],
    ['limit', { limit: '0x10' }],
    ['limit', { limit: '1e1' }],
    ['limit', { limit: '5.0' }],
    ['limit', { limit: ' 5' }],
    ['offset', { offset: '2147483648' }],
    ['offset', { offset: '-1' }],
    ['offset', { offset: '1.5' }],
    ['sort', { sort: 'name' }],
    ['order', { order: 'asc' }],
  ])('rejects a bad %s', (path, query) => {
    expect(rejectedPaths(ListUsersQuerySchema, query)).toContain(path)
  })
})

describe('webhook events and deliveries', () => {
  const event = { id: '2df83681-6a42-4837-a554-a8197335bcfa', created_at: '2021-11-19T13:06:51.980159529Z', type: 'USER.CREATED', object: user, webhook_id: '1b097e06-8a14-4181-b72a-de0972a3c57b' }
  const failed = { ...event, type: 'USER.DATA_CHANGE_FAILED', object: { user_id: user.id, reason: 'document unreadable' } }

  it('reads DATA_CHANGE_FAILED with its user id and reason', () => {
    const parsed = safeParseUnknown(UserEventSchema, failed as unknown)
    expect(parsed.ok && eventUserId(parsed.value)).toBe(user.id)
    expect(rejectedPaths(UserEventSchema, { ...failed, object: { user_id: user.id } })).toContain('object.reason')
  })

  it('rejects unknown event types and users that do not parse', () => {
    expect(rejectedPaths(UserEventSchema, { ...event, type: 'USER.DELETED' })).toContain('type')
    expect(rejectedPaths(UserEventSchema, { ...event, object: { ...user, status: 'GONE' } })).toContain('object.status')
  })

  it('accepts a delivery envelope and wraps a single event into one', () => {
    expect(rejectedPaths(WebhookDeliverySchema, { payload: [event, failed] })).toEqual([])
    expect(rejectedPaths(WebhookDeliverySchema, { payload: [] })).toContain('payload')
    expect(safeParseUnknown(WebhookBodySchema, event as unknown)).toEqual({ ok: true, value: { payload: [event] } })
  })
})

describe('auth, problems and subscriptions', () => {
  it('checks the token request scopes', () => {
    const request = { client_id: 'c', client_secret: 's', grant_type: 'client_credentials', scope: 'users:read users:admin' }
    expect(rejectedPaths(TokenRequestSchema, request)).toEqual([])
    expect(rejectedPaths(TokenRequestSchema, { ...request, scope: 'users:read users:delete' })).toContain('scope')
    expect(rejectedPaths(TokenRequestSchema, { ...request, grant_type: 'password' })).toContain('grant_type')
  })

  it('reads a problem and rejects one without status', () => {
    expect(rejectedPaths(ProblemSchema, { type: 'bad_request', status: 400, detail: 'address.postcode: invalid' })).toEqual([])
    expect(rejectedPaths(ProblemSchema, { type: 'bad_request' })).toContain('status')
  })

  it.each([
    ['config.delay', { delay: '0s', max_package_size: 1000 }],
    ['config.delay', { delay: '5h', max_package_size: 1000 }],
    ['config.max_package_size', { delay: '5s', max_package_size: 10 }],
  ])('rejects a bad %s', (path, config) => {
    expect(rejectedPaths(CreateWebhookBodySchema, { title: 'Outpost', url: 'https://bridge.example.com/webhooks/upvest', type: ['USER'], config })).toContain(path)
  })
})

describe('calendar dates', () => {
  it('reads years 0001-0099 as themselves, not as 1901-1999', () => {
    expect(safeParseUnknown(CalendarDateSchema, '0050-02-28' as unknown).ok).toBe(true)
    // Year 4 is a leap year, year 100 is not (proleptic Gregorian); 1904 is one, 1900 is not.
    expect(safeParseUnknown(CalendarDateSchema, '0004-02-29' as unknown).ok).toBe(true)
    expect(safeParseUnknown(CalendarDateSchema, '0100-02-29' as unknown).ok).toBe(false)
    expect(safeParseUnknown(CalendarDateSchema, '0001-01-01' as unknown).ok).toBe(true)
    expect(safeParseUnknown(CalendarDateSchema, '0000-01-01' as unknown).ok).toBe(true)
    expect(safeParseUnknown(CalendarDateSchema, '0001-13-01' as unknown).ok).toBe(false)
  })

  it('gives an early birth year the range error only', () => {
    const parsed = safeParseUnknown(BirthDateSchema, '0050-06-15' as unknown)
    expect(parsed.ok).toBe(false)
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.message)).toEqual(['must be a date between 1900-01-01 and today'])
  })
})

describe('bridge feed page', () => {
  it('reads pages with and without the subscription status (old and new bridges)', () => {
    expect(safeParseUnknown(BridgeFeedResponseSchema, { events: [], next_cursor: 'abc' } as unknown).ok).toBe(true)
    const page = { events: [], next_cursor: 'abc', subscription: { live: false, state: 'silent', detail: 'no delivery' } }
    expect(safeParseUnknown(BridgeFeedResponseSchema, page as unknown)).toEqual({ ok: true, value: page })
    expect(safeParseUnknown(BridgeFeedResponseSchema, { ...page, subscription: { state: 'ok' } } as unknown).ok).toBe(false)
  })
})
