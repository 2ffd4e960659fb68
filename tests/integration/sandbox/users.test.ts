import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ListUsersResponseSchema, ProblemSchema, UserSchema } from '../../../shared/schemas'
import { newIdempotencyKey } from '../../support/sandbox-client'
import { createBody, startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'

let t: TestSandbox

beforeAll(async () => {
  // Long lifecycle delays here: the admin shortcuts move users on, so nothing races the assertions.
  t = await startTestSandbox({ seed: 25, offboardDelayMs: 60_000, dataChangeDelayMs: 60_000 })
})
afterAll(async () => {
  await t.close()
})

async function createUser(overrides: Record<string, unknown> = {}) {
  const result = await t.client.call('POST', '/users', { body: createBody(overrides), idempotencyKey: newIdempotencyKey() })
  expect(result.status).toBe(200)
  return UserSchema.parse(result.json)
}

function detailOf(json: unknown): string {
  return ProblemSchema.parse(json).detail ?? ''
}

describe('POST /users', () => {
  it('creates an ACTIVE user, answers 200 and fills postal_address from address', async () => {
    const result = await t.client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })
    expect(result.status).toBe(200)
    expect(result.headers.get('upvest-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const user = UserSchema.parse(result.json)
    expect(user).toMatchObject({ status: 'ACTIVE', first_name: 'Jana', postal_address: createBody().address })
    expect(user.created_at).toBe(user.updated_at)
    expect(UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json)).toEqual(user)
  })

  it('keeps postal_address null when sent as null, and accepts the extended body', async () => {
    expect((await createUser({ postal_address: null })).postal_address).toBeNull()
    const extended = await createUser({
      email: 'jana@example.org',
      fatca: { status: false, confirmed_at: '2024-01-01T10:00:00Z' },
      terms_and_conditions: { consent_document_id: '3b241101-e2bb-4255-8caf-4136c566a962', confirmed_at: '2024-01-01T10:00:00Z' },
      data_privacy_and_sharing_agreement: {
        consent_document_id: '3b241101-e2bb-4255-8caf-4136c566a963',
        confirmed_at: '2024-01-01T10:00:00Z',
      },
    })
    expect(extended.email).toBe('jana@example.org')
  })

  it('answers 400 problem+json whose detail names the field', async () => {
    const badPostcode = await t.client.call('POST', '/users', {
      body: createBody({ address: { ...(createBody().address as object), postcode: '12345!!' } }),
      idempotencyKey: newIdempotencyKey(),
    })
    expect(badPostcode.status).toBe(400)
    expect(badPostcode.headers.get('content-type')).toContain('application/problem+json')
    expect(ProblemSchema.parse(badPostcode.json)).toMatchObject({ type: 'bad_request', status: 400, instance: '/users' })
    expect(detailOf(badPostcode.json)).toMatch(/^address\.postcode: must be/)

    const poBox = await t.client.call('POST', '/users', {
      body: createBody({ address: { ...(createBody().address as object), address_line1: 'Postfach 1234' } }),
      idempotencyKey: newIdempotencyKey(),
    })
    expect(poBox.status).toBe(400)
    expect(detailOf(poBox.json)).toContain('address.address_line1: must not be a P.O. box')

    const shortName = await t.client.call('POST', '/users', {
      body: createBody({ first_name: 'J', nationalities: [] }),
      idempotencyKey: newIdempotencyKey(),
    })
    expect(detailOf(shortName.json)).toContain('first_name: must be at least 2 characters')
    expect(detailOf(shortName.json)).toContain('nationalities: must name at least one nationality')

    const unknownField = await t.client.call('POST', '/users', {
      body: createBody({ favourite_colour: 'blue' }),
      idempotencyKey: newIdempotencyKey(),
    })
    expect(unknownField.status).toBe(400)

    const notJson = await t.client.call('POST', '/users', {
      body: createBody(),
      sendBody: '{"first_name":',
      idempotencyKey: newIdempotencyKey(),
    })
    expect(notJson.status).toBe(400)
    expect(detailOf(notJson.json)).toBe('body: is not valid JSON')
  })

  it('names the bad field of an extended (TOL) body, not the plain shape’s unknown keys', async () => {
    const extendedFields = {
      email: 'not-an-email',
      fatca: { status: false, confirmed_at: '2024-01-01T10:00:00Z' },
      terms_and_conditions: { consent_document_id: '3b241101-e2bb-4255-8caf-4136c566a962', confirmed_at: '2024-01-01T10:00:00Z' },
      data_privacy_and_sharing_agreement: {
        consent_document_id: '3b241101-e2bb-4255-8caf-4136c566a963',
        confirmed_at: '2024-01-01T10:00:00Z',
      },
    }
    const badEmail = await t.client.call('POST', '/users', { body: createBody(extendedFields), idempotencyKey: newIdempotencyKey() })
    expect(badEmail.status).toBe(400)
    expect(detailOf(badEmail.json)).toBe('email: must be a valid email address')
    const { fatca: _f, ...withoutFatca } = extendedFields
    const missingFatca = await t.client.call('POST', '/users', {
      body: createBody({ ...withoutFatca, email: 'jana@example.org' }),
      idempotencyKey: newIdempotencyKey(),
    })
    expect(detailOf(missingFatca.json)).toMatch(/^fatca: /)
  })

  it('reads birth years 0001-0099 as those years (range error, not "not a real calendar date")', async () => {
    const early = await t.client.call('POST', '/users', {
      body: createBody({ birth_date: '0050-06-15' }),
      idempotencyKey: newIdempotencyKey(),
    })
    expect(early.status).toBe(400)
    expect(detailOf(early.json)).toBe('birth_date: must be a date between 1900-01-01 and today')
  })

  it('requires a UUID idempotency-key', async () => {
    const missing = await t.client.call('POST', '/users', { body: createBody() })
    expect(missing.status).toBe(400)
    expect(detailOf(missing.json)).toContain('idempotency-key: is required')
    const notUuid = await t.client.call('POST', '/users', { body: createBody(), idempotencyKey: 'abc' })
    expect(detailOf(notUuid.json)).toContain('idempotency-key: must be a UUID')
  })

  it('replays the first answer for the same key and body, 422 for another body', async () => {
    const key = newIdempotencyKey()
    const first = await t.client.call('POST', '/users', { body: createBody({ first_name: 'Lukas' }), idempotencyKey: key })
    const again = await t.client.call('POST', '/users', { body: createBody({ first_name: 'Lukas' }), idempotencyKey: key })
    expect(again.status).toBe(200)
    expect(again.json).toEqual(first.json)
    const before = (await t.admin('GET', '/state')).json as { users: number }
    const other = await t.client.call('POST', '/users', { body: createBody({ first_name: 'Felix' }), idempotencyKey: key })
    expect(other.status).toBe(422)
    expect(ProblemSchema.parse(other.json).type).toBe('unprocessable_entity')
    expect(((await t.admin('GET', '/state')).json as { users: number }).users).toBe(before.users)
    // Keys belong to a client: the same key from another client is a new request.
    const otherClient = await t.p521.call('POST', '/users', { body: createBody({ first_name: 'Lukas' }), idempotencyKey: key })
    expect(otherClient.status).toBe(200)
    expect(UserSchema.parse(otherClient.json).id).not.toBe(UserSchema.parse(first.json).id)
  })

  it('answers 409 while the first request with the key is still running', async () => {
    await t.admin('PATCH', '/faults', { holdCreates: true })
    try {
      const key = newIdempotencyKey()
      const held = t.client.call('POST', '/users', { body: createBody(), idempotencyKey: key })
      await waitUntil(async () => ((await t.admin('GET', '/state')).json as { in_flight_creates: number }).in_flight_creates > 0)
      const second = await t.client.call('POST', '/users', { body: createBody(), idempotencyKey: key })
      expect(second.status).toBe(409)
      await t.admin('PATCH', '/faults', { holdCreates: false })
      expect((await held).status).toBe(200)
      expect((await t.client.call('POST', '/users', { body: createBody(), idempotencyKey: key })).json).toEqual((await held).json)
    } finally {
      await t.admin('DELETE', '/faults')
    }
  })
})

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('GET /users/{id}', () => {
  it('answers 404 for unknown and non-UUID ids', async () => {
    const unknown = await t.client.call('GET', '/users/3b241101-e2bb-4255-8caf-4136c566a962')
    expect(unknown.status).toBe(404)
    expect(ProblemSchema.parse(unknown.json).type).toBe('not_found')
    expect((await t.client.call('GET', '/users/not-a-uuid')).status).toBe(404)
  })
})

describe('GET /users', () => {
  it('pages with meta and a stable order in both directions', async () => {
    const page = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=10&offset=5')).json)
    expect(page.meta).toMatchObject({ offset: 5, limit: 10, count: 10, sort: 'created_at', order: 'ASC' })
    const all = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=1000')).json)
    expect(all.meta.total_count).toBe(all.data.length)
    expect(page.data).toEqual(all.data.slice(5, 15))
    const desc = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=1000&order=DESC')).json)
    expect(desc.data.map((u) => u.id)).toEqual([...all.data].reverse().map((u) => u.id))
    const byUpdated = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=1000&sort=updated_at')).json)
    const keys = byUpdated.data.map((u) => `${u.updated_at}|${u.id}`)
    expect(keys).toEqual([...keys].sort())
  })

  it('pages by updated_at newest first (sort=updated_at&order=DESC), where a changed user moves to the top', async () => {
    const list = async (query: string) =>
      ListUsersResponseSchema.parse((await t.client.call('GET', `/users?sort=updated_at&order=DESC&${query}`)).json)
    const all = await list('limit=1000')
    expect(all.meta).toMatchObject({ sort: 'updated_at', order: 'DESC' })
    const keys = all.data.map((u) => `${u.updated_at}|${u.id}`)
    expect(keys).toEqual([...keys].sort().reverse())
    expect((await list('limit=7&offset=3')).data).toEqual(all.data.slice(3, 10))
    const someone = all.data.find((u) => u.status === 'ACTIVE' || u.status === 'INACTIVE')!
    expect((await t.admin('POST', `/back-office/users/${someone.id}/change`, { email: 'moved@example.com' })).status).toBe(200)
    const first = (await list('limit=1')).data[0]!
    expect([first.id, first.email, first.updated_at > all.data[0]!.updated_at]).toEqual([someone.id, 'moved@example.com', true])
  })

  it('answers 400 for limit over 1000, an unknown sort and unknown parameters', async () => {
    const tooMany = await t.client.call('GET', '/users?limit=1001')
    expect(tooMany.status).toBe(400)
    expect(detailOf(tooMany.json)).toContain('limit: must be at most 1000')
    expect((await t.client.call('GET', '/users?sort=last_name')).status).toBe(400)
    expect((await t.client.call('GET', '/users?order=UP')).status).toBe(400)
    expect((await t.client.call('GET', '/users?offset=-1')).status).toBe(400)
    expect((await t.client.call('GET', '/users?colour=blue')).status).toBe(400)
  })

  it('answers limit=0 with an empty page and the total; refuses limit/offset that are not decimal integers', async () => {
    const empty = ListUsersResponseSchema.parse((await t.client.call('GET', '/users?limit=0')).json)
    expect(empty.data).toEqual([])
    expect(empty.meta).toMatchObject({ limit: 0, count: 0 })
    expect(empty.meta.total_count).toBeGreaterThan(0)
    for (const query of ['limit=0x10', 'limit=1e1', 'limit=5.0', 'offset=0x1', 'offset=1e1', 'offset=2147483648']) {
      const answer = await t.client.call('GET', `/users?${query}`)
      expect(answer.status, query).toBe(400)
      expect(detailOf(answer.json), query).toMatch(/^(limit|offset): must be/)
    }
  })
})

describe('DELETE /users/{id}', () => {
  it('answers 202, moves to OFFBOARDING, then 409 for a second DELETE and OFFBOARDED later', async () => {
    const user = await createUser()
    const result = await t.client.call('DELETE', `/users/${user.id}`)
    expect(result.status).toBe(202)
    expect(result.text).toBe('')
    const offboarding = UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json)
    expect(offboarding.status).toBe('OFFBOARDING')
    expect(offboarding.updated_at > user.updated_at).toBe(true)
    expect((await t.client.call('DELETE', `/users/${user.id}`)).status).toBe(409)
    expect(await t.admin('POST', '/offboarding/complete', { user_id: user.id })).toMatchObject({ status: 200, json: { completed: 1 } })
    expect(UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json).status).toBe('OFFBOARDED')
    const again = await t.client.call('DELETE', `/users/${user.id}`)
    expect(again.status).toBe(409)
    expect(ProblemSchema.parse(again.json).type).toBe('conflict')
    expect((await t.client.call('DELETE', '/users/3b241101-e2bb-4255-8caf-4136c566a962')).status).toBe(404)
  })
})

describe('POST /users/{id}/data_change_requests', () => {
  it('answers 202, refuses a second pending change with 409, and applies the change later', async () => {
    const user = await createUser()
    const change = { salutation: 'SALUTATION_FEMALE_MARRIED', birth_name: 'Schröder' }
    const result = await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: change })
    expect(result.status).toBe(202)
    expect(result.text).toBe('')
    const second = await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })
    expect(second.status).toBe(409)
    expect(UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json).birth_name).toBeUndefined()
    expect((await t.admin('POST', '/data-changes/apply', { user_id: user.id })).json).toEqual({ applied: 1 })
    const changed = UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json)
    expect(changed).toMatchObject({ salutation: 'SALUTATION_FEMALE_MARRIED', birth_name: 'Schröder' })
    expect(changed.updated_at > user.updated_at).toBe(true)
    // Applied: the next change is accepted again.
    expect((await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })).status).toBe(202)
  })

  it('applies an address change with proof but not the proof fields', async () => {
    const user = await createUser()
    const address = { address_line1: 'Bergstraße 7', postcode: '01069', city: 'Dresden', country: 'DE' }
    const body = {
      address,
      issuance_date: '2025-01-10',
      data_download_link: 'https://example.org/proof.pdf',
      document_type: 'UTILITY_BILL',
    }
    expect((await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body })).status).toBe(202)
    await t.admin('POST', '/data-changes/apply', { user_id: user.id })
    const changed = UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json)
    expect(changed.address).toEqual(address)
    expect(changed).not.toHaveProperty('document_type')
  })

  it('answers 400 naming the field, 404 for unknown users and 409 for offboarding users', async () => {
    const user = await createUser()
    const invalid = await t.client.call('POST', `/users/${user.id}/data_change_requests`, {
      body: { address: { address_line1: 'c/o Müller', postcode: '10115', city: 'Berlin', country: 'DE' } },
    })
    expect(invalid.status).toBe(400)
    expect(detailOf(invalid.json)).toContain('address.address_line1')
    // Proof fields point to the proof kinds: the address change's own fields are named.
    const proofed = await t.client.call('POST', `/users/${user.id}/data_change_requests`, {
      body: {
        address: { address_line1: 'Bergstraße 7', postcode: '!!', city: '', country: 'DE' },
        issuance_date: '2025-01-10',
        data_download_link: 'https://example.org/proof.pdf',
        document_type: 'UTILITY_BILL',
      },
    })
    expect(proofed.status).toBe(400)
    expect(detailOf(proofed.json)).toMatch(/^address\.postcode: must be .*; address\.city: /)
    const badProof = await t.client.call('POST', `/users/${user.id}/data_change_requests`, {
      body: {
        first_name: 'Jana',
        last_name: 'Neumann',
        issuance_date: '2025-02-30',
        data_download_link: 'https://example.org/p.pdf',
        document_type: 'PASSPORT',
      },
    })
    expect(detailOf(badProof.json)).toBe('issuance_date: must be a real calendar date')
    const empty = await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: {} })
    expect(empty.status).toBe(400)
    expect(
      (await t.client.call('POST', '/users/3b241101-e2bb-4255-8caf-4136c566a962/data_change_requests', { body: { title: 'DR' } })).status,
    ).toBe(404)
    await t.client.call('DELETE', `/users/${user.id}`)
    expect((await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })).status).toBe(409)
  })
})

describe('a change pending when the user is offboarded', () => {
  it('is not applied', async () => {
    const user = await createUser()
    expect((await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })).status).toBe(202)
    expect((await t.client.call('DELETE', `/users/${user.id}`)).status).toBe(202)
    expect((await t.admin('POST', '/data-changes/apply', { user_id: user.id })).json).toEqual({ applied: 1 })
    const after = UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json)
    expect(after.status).toBe('OFFBOARDING')
    expect(after.title).toBe(user.title)
  })
})

describe('unknown endpoints', () => {
  it('answer 404 problem+json with a request id', async () => {
    const result = await t.client.call('GET', '/accounts')
    expect(result.status).toBe(404)
    expect(result.headers.get('upvest-request-id')).not.toBeNull()
  })
})
