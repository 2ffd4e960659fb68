import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  ProblemSchema,
  UserSchema,
  WebhookDeliverySchema,
  WebhookSubscriptionSchema,
  type User,
  type UserEvent,
} from '../../../shared/schemas'
import { createSandboxAdmin, type SandboxAdmin } from '../../support/sandbox-admin'
import { newIdempotencyKey } from '../../support/sandbox-client'
import { createBody, startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver'

let t: TestSandbox
let admin: SandboxAdmin
let receiver: WebhookReceiver

beforeAll(async () => {
  // Long lifecycle delays: the test moves users on itself, so nothing races the assertions.
  t = await startTestSandbox({ offboardDelayMs: 60_000, dataChangeDelayMs: 60_000 })
  admin = createSandboxAdmin(t.sandbox.url)
  receiver = await startWebhookReceiver()
  const created = await t.client.call('POST', '/webhooks', {
    body: { title: 'Outpost', url: receiver.url, type: ['USER'], config: { delay: '1s', max_package_size: 10_240 } },
  })
  expect(created.status).toBe(201)
  const id = WebhookSubscriptionSchema.parse(created.json).id
  expect((await t.client.call('PATCH', `/webhooks/${id}`, { body: { enabled: true } })).status).toBe(200)
})
afterAll(async () => {
  await t.close()
  await receiver.close()
})
beforeEach(async () => {
  // Deliveries of earlier tests must not satisfy this test's waits.
  await waitQuiet()
})

function events(): UserEvent[] {
  return receiver.deliveries.flatMap((delivery) => WebhookDeliverySchema.parse(JSON.parse(delivery.body)).payload)
}

function eventsOf(userId: string): UserEvent[] {
  return events().filter((event) => ('id' in event.object ? event.object.id : event.object.user_id) === userId)
}

async function waitForEvents(userId: string, types: readonly string[]): Promise<UserEvent[]> {
  await receiver.waitFor(() => {
    const seen = eventsOf(userId).map((event) => event.type)
    return types.every((type) => seen.includes(type as UserEvent['type']))
  })
  return eventsOf(userId)
}

/** Waits until `count` events of the user arrived; returns their types in order. */
async function typesAfter(userId: string, count: number): Promise<string[]> {
  await receiver.waitFor(() => eventsOf(userId).length >= count)
  return eventsOf(userId).map((event) => event.type)
}

async function waitQuiet(): Promise<void> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const state = (await t.admin('GET', '/state')).json as { pending_webhook_events: number }
    if (state.pending_webhook_events === 0) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function createUser(): Promise<User> {
  const result = await t.client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })
  expect(result.status).toBe(200)
  const user = UserSchema.parse(result.json)
  await waitForEvents(user.id, ['USER.CREATED', 'USER.ACTIVATED'])
  return user
}

async function getUser(id: string): Promise<User> {
  return UserSchema.parse((await t.client.call('GET', `/users/${id}`)).json)
}

const changeRequest = (id: string, body: object = { title: 'DR' }) => t.client.call('POST', `/users/${id}/data_change_requests`, { body })

describe('deactivate and reactivate (back office)', () => {
  it('moves ACTIVE -> INACTIVE -> ACTIVE with USER.DEACTIVATED then USER.ACTIVATED delivered', async () => {
    const user = await createUser()
    const inactive = await admin.deactivate(user.id)
    expect(inactive.status).toBe('INACTIVE')
    expect(inactive.updated_at > user.updated_at).toBe(true)
    expect((await getUser(user.id)).status).toBe('INACTIVE')
    const deactivated = (await waitForEvents(user.id, ['USER.DEACTIVATED'])).find((event) => event.type === 'USER.DEACTIVATED')
    expect(deactivated?.object).toMatchObject({ id: user.id, status: 'INACTIVE' })

    const active = await admin.reactivate(user.id)
    expect(active.status).toBe('ACTIVE')
    expect(await typesAfter(user.id, 4)).toEqual(['USER.CREATED', 'USER.ACTIVATED', 'USER.DEACTIVATED', 'USER.ACTIVATED'])
    expect(eventsOf(user.id).at(-1)?.object).toMatchObject({ id: user.id, status: 'ACTIVE' })
  })

  it('refuses to deactivate a user that is not ACTIVE and to reactivate one that is not INACTIVE (409), unknown users 404', async () => {
    const user = await createUser()
    await expect(admin.reactivate(user.id)).rejects.toMatchObject({
      status: 409,
      detail: expect.stringMatching(/^user_id: user is ACTIVE;/),
    })
    await admin.deactivate(user.id)
    await expect(admin.deactivate(user.id)).rejects.toMatchObject({
      status: 409,
      detail: expect.stringMatching(/^user_id: user is INACTIVE;/),
    })
    await expect(admin.deactivate('3b241101-e2bb-4255-8caf-4136c566a962')).rejects.toMatchObject({ status: 404 })
  })

  it('answers 409 to a data change for an INACTIVE user, naming the status, and 202 to offboarding it', async () => {
    const user = await createUser()
    await admin.deactivate(user.id)
    const refused = await changeRequest(user.id)
    expect(refused.status).toBe(409)
    expect(ProblemSchema.parse(refused.json).detail).toMatch(/user is INACTIVE, not ACTIVE/)
    expect((await t.client.call('DELETE', `/users/${user.id}`)).status).toBe(202)
    expect((await getUser(user.id)).status).toBe('OFFBOARDING')
    await waitForEvents(user.id, ['USER.OFFBOARDING_INITIATED'])
  })

  it('refuses a change that was pending when the user was deactivated (USER.DATA_CHANGE_FAILED)', async () => {
    const user = await createUser()
    expect((await changeRequest(user.id)).status).toBe(202)
    await admin.deactivate(user.id)
    expect(await admin.applyDataChanges(user.id)).toBe(1)
    const failed = (await waitForEvents(user.id, ['USER.DATA_CHANGE_FAILED'])).find((event) => event.type === 'USER.DATA_CHANGE_FAILED')
    expect(failed?.object).toEqual({ user_id: user.id, reason: 'user is INACTIVE' })
    expect((await getUser(user.id)).title).toBeUndefined()
  })
})

describe('back-office changes', () => {
  it('changes fields at once: updated_at moves, USER.DATA_CHANGED carries the new user', async () => {
    const user = await createUser()
    const changed = await admin.backOfficeChange(user.id, { last_name: 'Becker', email: 'jana.becker@example.org' })
    expect(changed).toMatchObject({ last_name: 'Becker', email: 'jana.becker@example.org', first_name: user.first_name, status: 'ACTIVE' })
    expect(changed.updated_at > user.updated_at).toBe(true)
    expect(await getUser(user.id)).toEqual(changed)
    const event = (await waitForEvents(user.id, ['USER.DATA_CHANGED'])).find((e) => e.type === 'USER.DATA_CHANGED')
    expect(event?.object).toEqual(changed)
  })

  it('leaves a pending client change pending: it applies later over the back office value', async () => {
    const user = await createUser()
    expect((await changeRequest(user.id, { email: 'mine@example.org' })).status).toBe(202)
    await admin.backOfficeChange(user.id, { email: 'theirs@example.org' })
    expect((await getUser(user.id)).email).toBe('theirs@example.org')
    expect(await admin.applyDataChanges(user.id)).toBe(1)
    expect((await getUser(user.id)).email).toBe('mine@example.org')
    expect(await typesAfter(user.id, 4)).toEqual(['USER.CREATED', 'USER.ACTIVATED', 'USER.DATA_CHANGED', 'USER.DATA_CHANGED'])
    expect(eventsOf(user.id).map((event) => ('email' in event.object ? event.object.email : undefined))).toEqual([
      undefined,
      undefined,
      'theirs@example.org',
      'mine@example.org',
    ])
  })

  it('validates fields like the API (400 naming the field) and refuses offboarded users (409)', async () => {
    const user = await createUser()
    await expect(admin.backOfficeChange(user.id, { email: 'not-an-email' })).rejects.toMatchObject({
      status: 400,
      detail: expect.stringMatching(/^email: /),
    })
    await expect(admin.backOfficeChange(user.id, {})).rejects.toMatchObject({ status: 400 })
    await admin.backOfficeOffboard(user.id, { immediately: true })
    await expect(admin.backOfficeChange(user.id, { email: 'x@example.org' })).rejects.toMatchObject({
      status: 409,
      detail: expect.stringContaining('OFFBOARDED'),
    })
  })
})

describe('back-office offboarding', () => {
  it('offboards directly: OFFBOARDING with USER.OFFBOARDING_INITIATED, OFFBOARDED when it completes', async () => {
    const user = await createUser()
    const offboarding = await admin.backOfficeOffboard(user.id)
    expect(offboarding.status).toBe('OFFBOARDING')
    await waitForEvents(user.id, ['USER.OFFBOARDING_INITIATED'])
    expect(eventsOf(user.id).map((event) => event.type)).not.toContain('USER.OFFBOARDED')
    // The client's DELETE now sees an offboarding user; the configured delay (here long) is cut short by the admin.
    expect((await t.client.call('DELETE', `/users/${user.id}`)).status).toBe(409)
    expect((await t.admin('POST', '/offboarding/complete', { user_id: user.id })).json).toEqual({ completed: 1 })
    await waitForEvents(user.id, ['USER.OFFBOARDED'])
    expect((await getUser(user.id)).status).toBe('OFFBOARDED')
  })

  it('offboards at once with `immediately`: both events in order, OFFBOARDED', async () => {
    const user = await createUser()
    expect((await admin.backOfficeOffboard(user.id, { immediately: true })).status).toBe('OFFBOARDED')
    expect(await typesAfter(user.id, 4)).toEqual(['USER.CREATED', 'USER.ACTIVATED', 'USER.OFFBOARDING_INITIATED', 'USER.OFFBOARDED'])
    await expect(admin.backOfficeOffboard(user.id)).rejects.toMatchObject({ status: 409, detail: expect.stringContaining('OFFBOARDED') })
  })

  it('offboards an INACTIVE user', async () => {
    const user = await createUser()
    await admin.deactivate(user.id)
    expect((await admin.backOfficeOffboard(user.id, { immediately: true })).status).toBe('OFFBOARDED')
  })
})

describe('409 on data changes names its cause', () => {
  it('says a change is already pending, or which status the user has', async () => {
    const user = await createUser()
    expect((await changeRequest(user.id)).status).toBe(202)
    const pending = await changeRequest(user.id, { title: 'PROF' })
    expect(pending.status).toBe(409)
    expect(ProblemSchema.parse(pending.json)).toMatchObject({ type: 'conflict', detail: expect.stringContaining('already pending') })

    await admin.backOfficeOffboard(user.id)
    const offboarding = await changeRequest(user.id, { title: 'PROF' })
    expect(offboarding.status).toBe(409)
    expect(ProblemSchema.parse(offboarding.json).detail).toMatch(/user is OFFBOARDING, not ACTIVE/)
    expect(ProblemSchema.parse(offboarding.json).detail).not.toContain('pending')
  })
})

describe('no idempotency on data changes (as the provider)', () => {
  it('ignores an idempotency-key: the same request sent again after the first was applied is applied again', async () => {
    const user = await createUser()
    const key = newIdempotencyKey()
    const body = { title: 'DR' }
    const first = await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body, idempotencyKey: key })
    expect(first.status).toBe(202)
    expect(first.headers.get('upvest-idempotent-replay')).toBeNull()
    // While the first is pending, the same key gets the pending 409, not a replay of the 202.
    const whilePending = await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body, idempotencyKey: key })
    expect(whilePending.status).toBe(409)
    expect(ProblemSchema.parse(whilePending.json).detail).toContain('already pending')
    expect(await admin.applyDataChanges(user.id)).toBe(1)

    const again = await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body, idempotencyKey: key })
    expect(again.status).toBe(202)
    expect(again.headers.get('upvest-idempotent-replay')).toBeNull()
    expect(await admin.applyDataChanges(user.id)).toBe(1)
    expect(await typesAfter(user.id, 4)).toEqual(['USER.CREATED', 'USER.ACTIVATED', 'USER.DATA_CHANGED', 'USER.DATA_CHANGED'])
  })
})
