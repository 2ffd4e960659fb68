import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { keyLookupFromJwks, verifyRequest, verifyWebhook, type PublicKeyLookup } from '../../../shared/node/http-signature'
import { ProblemSchema, UserSchema, WebhookDeliverySchema, WebhookSubscriptionSchema, type UserEvent } from '../../../shared/schemas'
import { newIdempotencyKey } from '../../support/sandbox-client'
import { createBody, startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from '../../support/webhook-receiver'

let t: TestSandbox
let receiver: WebhookReceiver
let keys: PublicKeyLookup

beforeAll(async () => {
  t = await startTestSandbox({ seed: 2 })
  receiver = await startWebhookReceiver()
  const jwks = await t.client.call('GET', '/auth/verify_keys')
  keys = keyLookupFromJwks(jwks.json)
})
afterEach(async () => {
  // Each test leaves no subscription behind, so deliveries never cross tests.
  const list = (await t.client.call('GET', '/webhooks')).json as { data: Array<{ id: string }> }
  for (const subscription of list.data) await t.client.call('DELETE', `/webhooks/${subscription.id}`)
})
afterAll(async () => {
  await t.close()
  await receiver.close()
})

function events(deliveries: readonly ReceivedDelivery[]): UserEvent[] {
  return deliveries.filter((d) => d.body.includes('"USER.')).flatMap((d) => WebhookDeliverySchema.parse(JSON.parse(d.body)).payload)
}

async function subscribe(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await t.client.call('POST', '/webhooks', {
    body: { title: 'Outpost', url: receiver.url, type: ['USER'], config: { delay: '1s', max_package_size: 10_240 }, ...overrides },
  })
  expect(created.status).toBe(201)
  const subscription = WebhookSubscriptionSchema.parse(created.json)
  expect(subscription.enabled).toBe(false)
  const enabled = await t.client.call('PATCH', `/webhooks/${subscription.id}`, { body: { enabled: true } })
  expect(WebhookSubscriptionSchema.parse(enabled.json).enabled).toBe(true)
  return subscription.id
}

async function createUser() {
  const result = await t.client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })
  return UserSchema.parse(result.json)
}

const eventsFor = (userId: string) =>
  events(receiver.deliveries).filter((e) => (e.type === 'USER.DATA_CHANGE_FAILED' ? e.object.user_id : e.object.id) === userId)

describe('webhook subscriptions', () => {
  it('creates disabled, reads, lists, updates and deletes', async () => {
    const created = await t.client.call('POST', '/webhooks', {
      body: { title: 'A', url: 'https://hooks.example.org/upvest', type: ['USER'], config: { delay: '5s', max_package_size: 1024 } },
    })
    expect(created.status).toBe(201)
    const subscription = WebhookSubscriptionSchema.parse(created.json)
    expect(WebhookSubscriptionSchema.parse((await t.client.call('GET', `/webhooks/${subscription.id}`)).json)).toEqual(subscription)
    const list = (await t.client.call('GET', '/webhooks')).json as { meta: { total_count: number }; data: unknown[] }
    expect(list.meta.total_count).toBe(1)
    const patched = await t.client.call('PATCH', `/webhooks/${subscription.id}`, { body: { title: 'B' } })
    expect(patched.json).toMatchObject({ title: 'B', enabled: false })
    expect((await t.client.call('DELETE', `/webhooks/${subscription.id}`)).status).toBe(204)
    expect((await t.client.call('GET', `/webhooks/${subscription.id}`)).status).toBe(404)
    expect((await t.client.call('PATCH', `/webhooks/${subscription.id}`, { body: { title: 'C' } })).status).toBe(404)
  })

  it('allows http only on loopback and validates the body', async () => {
    const plain = await t.client.call('POST', '/webhooks', {
      body: { title: 'A', url: 'http://hooks.example.org/x', type: ['USER'], config: { delay: '5s', max_package_size: 1024 } },
    })
    expect(plain.status).toBe(400)
    expect(ProblemSchema.parse(plain.json).detail).toMatch(/^url: must be an https URL/)
    for (const host of ['localhost', '[::1]']) {
      const local = await t.client.call('POST', '/webhooks', {
        body: { title: 'A', url: `http://${host}:9/x`, type: ['USER'], config: { delay: '5s', max_package_size: 1024 } },
      })
      expect(local.status).toBe(201)
    }
    const badConfig = await t.client.call('POST', '/webhooks', {
      body: { title: 'A', url: 'https://x.example/x', config: { delay: 'soon', max_package_size: 1 } },
    })
    expect(badConfig.status).toBe(400)
    expect(ProblemSchema.parse(badConfig.json).detail).toContain('config.delay')
    expect((await t.readOnly.call('GET', '/webhooks')).status).toBe(403)
  })

  it('answers 400 and 404 on the other webhook error paths', async () => {
    const listLimit = await t.client.call('GET', '/webhooks?limit=0')
    expect(listLimit.status).toBe(400)
    expect(ProblemSchema.parse(listLimit.json).detail).toContain('limit: must be at least 1')
    const noTitle = await t.client.call('POST', '/webhooks', {
      body: { url: 'https://x.example/h', config: { delay: '5s', max_package_size: 1024 } },
    })
    expect(ProblemSchema.parse(noTitle.json).detail).toMatch(/^title: /)
    const created = await t.client.call('POST', '/webhooks', {
      body: { title: 'A', url: 'https://x.example/h', type: ['USER'], config: { delay: '5s', max_package_size: 1024 } },
    })
    const id = WebhookSubscriptionSchema.parse(created.json).id
    expect((await t.client.call('PATCH', `/webhooks/${id}`, { body: {} })).status).toBe(400)
    const plainHttp = await t.client.call('PATCH', `/webhooks/${id}`, { body: { url: 'http://x.example/h' } })
    expect(ProblemSchema.parse(plainHttp.json).detail).toMatch(/^url: must be an https URL/)
    expect((await t.client.call('DELETE', '/webhooks/3b241101-e2bb-4255-8caf-4136c566a962')).status).toBe(404)
    expect((await t.client.call('GET', '/webhooks/not-a-uuid')).status).toBe(404)
  })
})

describe('lifecycle events', () => {
  it('delivers USER.CREATED then USER.ACTIVATED, signed (draft 06, P-521) and verifiable with /auth/verify_keys', async () => {
    const webhookId = await subscribe()
    const user = await createUser()
    await receiver.waitFor(() => eventsFor(user.id).length >= 2)
    const got = eventsFor(user.id)
    expect(got.map((e) => e.type)).toEqual(['USER.CREATED', 'USER.ACTIVATED'])
    expect(got.every((e) => e.webhook_id === webhookId)).toBe(true)
    expect((got[0]?.created_at ?? '') < (got[1]?.created_at ?? '')).toBe(true)
    const delivery = receiver.deliveries.find((d) => d.body.includes(user.id))
    if (delivery === undefined) throw new Error('no delivery')
    expect(delivery.headers.digest).toMatch(/^SHA-256=/)
    expect(delivery.headers['signature-input']).toMatch(/^sig1=\(.*"digest".*\);keyid=/)
    expect(verifyWebhook({ url: delivery.path, headers: delivery.headers, body: delivery.body, publicKeyFor: keys })).toMatchObject({
      ok: true,
      keyId: t.sandbox.webhookKeyId,
    })
    expect(
      verifyWebhook({ url: delivery.path, headers: delivery.headers, body: delivery.body.replace('Jana', 'Eve_'), publicKeyFor: keys }),
    ).toMatchObject({ ok: false })
  })

  it('delivers offboarding and data change outcomes, including USER.DATA_CHANGE_FAILED with a reason', async () => {
    await subscribe()
    const user = await createUser()
    expect((await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })).status).toBe(202)
    await receiver.waitFor(() => eventsFor(user.id).some((e) => e.type === 'USER.DATA_CHANGED'))
    const changed = eventsFor(user.id).find((e) => e.type === 'USER.DATA_CHANGED')
    expect(changed?.type === 'USER.DATA_CHANGED' && changed.object.title).toBe('DR')

    await t.admin('POST', '/data-changes/reject-next', { reason: 'document unreadable' })
    expect((await t.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'PROF' } })).status).toBe(202)
    await receiver.waitFor(() => eventsFor(user.id).some((e) => e.type === 'USER.DATA_CHANGE_FAILED'))
    expect(eventsFor(user.id).find((e) => e.type === 'USER.DATA_CHANGE_FAILED')?.object).toEqual({
      user_id: user.id,
      reason: 'document unreadable',
    })
    expect(UserSchema.parse((await t.client.call('GET', `/users/${user.id}`)).json).title).toBe('DR')

    expect((await t.client.call('DELETE', `/users/${user.id}`)).status).toBe(202)
    await receiver.waitFor(() => eventsFor(user.id).some((e) => e.type === 'USER.OFFBOARDED'))
    const types = eventsFor(user.id).map((e) => e.type)
    expect(types.indexOf('USER.OFFBOARDING_INITIATED')).toBeLessThan(types.indexOf('USER.OFFBOARDED'))
  })

  it('retries a delivery until the receiver answers 200, so the receiver sees duplicates', async () => {
    await subscribe()
    receiver.answerNext(500, 503)
    const user = await createUser()
    await receiver.waitFor(() => receiver.deliveries.filter((d) => d.body.includes(user.id) && d.answeredWith === 200).length >= 1)
    const attempts = receiver.deliveries.filter((d) => d.body.includes(user.id))
    expect(attempts.map((d) => d.answeredWith)).toEqual([500, 503, 200])
    // The same events, three times: the receiver must deduplicate by event id.
    expect(new Set(attempts.map((d) => d.body)).size).toBe(1)
    for (const attempt of attempts)
      expect(verifyWebhook({ url: attempt.path, headers: attempt.headers, body: attempt.body, publicKeyFor: keys }).ok).toBe(true)
    const log = (await t.admin('GET', '/deliveries')).json as {
      deliveries: Array<{ attempt: number; status: number | null; event_ids: string[] }>
    }
    const logged = log.deliveries.filter((d) => d.event_ids.includes(eventsFor(user.id)[0]?.id ?? 'none'))
    expect(logged.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ])
  })

  it('splits packages by max_package_size and sends nothing to disabled subscriptions', async () => {
    const id = await subscribe({ config: { delay: '1s', max_package_size: 100 } })
    const user = await createUser()
    await receiver.waitFor(() => eventsFor(user.id).length >= 2)
    const packages = receiver.deliveries.filter((d) => d.body.includes(user.id))
    expect(packages.length).toBe(2)
    await t.client.call('PATCH', `/webhooks/${id}`, { body: { enabled: false } })
    const quiet = await createUser()
    // The disabled subscription produced no queued events at all.
    expect(((await t.admin('GET', '/state')).json as { pending_webhook_events: number }).pending_webhook_events).toBe(0)
    expect(eventsFor(quiet.id)).toEqual([])
  })

  it('sends a signed test delivery on GET and POST /webhooks/{id}/test', async () => {
    const id = await subscribe()
    const before = receiver.deliveries.length
    expect((await t.client.call('GET', `/webhooks/${id}/test`)).status).toBe(202)
    expect((await t.client.call('POST', `/webhooks/${id}/test`)).status).toBe(202)
    await receiver.waitFor((all) => all.slice(before).filter((d) => d.body.includes('WEBHOOK.TEST')).length >= 2)
    const test = receiver.deliveries.slice(before).find((d) => d.body.includes('WEBHOOK.TEST'))
    expect(test && verifyWebhook({ url: test.path, headers: test.headers, body: test.body, publicKeyFor: keys }).ok).toBe(true)
    expect((await t.client.call('GET', '/webhooks/3b241101-e2bb-4255-8caf-4136c566a962/test')).status).toBe(404)
  })
})

describe('draft-15 webhook signatures (where the provider may move)', () => {
  it('signs deliveries with content-digest when told to', async () => {
    const other = await startTestSandbox({ webhookSignatureFormat: 'draft-15' })
    const otherReceiver = await startWebhookReceiver('/hooks/fifteen')
    try {
      const created = await other.client.call('POST', '/webhooks', {
        body: { title: 'B', url: otherReceiver.url, type: ['ALL'], config: { delay: '1s', max_package_size: 10_240 } },
      })
      const id = WebhookSubscriptionSchema.parse(created.json).id
      await other.client.call('PATCH', `/webhooks/${id}`, { body: { enabled: true } })
      await other.client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })
      await otherReceiver.waitFor((all) => all.length >= 1)
      const delivery = otherReceiver.deliveries[0]
      if (delivery === undefined) throw new Error('no delivery')
      expect(delivery.headers['content-digest']).toMatch(/^sha-512=:/)
      expect(delivery.headers['upvest-signature-version']).toBe('15')
      const lookup = keyLookupFromJwks((await other.client.call('GET', '/auth/verify_keys')).json)
      expect(
        verifyRequest({ method: 'POST', url: delivery.path, headers: delivery.headers, body: delivery.body, publicKeyFor: lookup }),
      ).toMatchObject({ ok: true })
    } finally {
      await other.close()
      await otherReceiver.close()
    }
  })
})
