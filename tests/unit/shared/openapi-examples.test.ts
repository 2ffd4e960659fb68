/** Every example in the provider's OpenAPI extract parses with our shared schema for it. */
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { safeParseUnknown } from '../../../shared/parse'
import {
  CreateUserBodySchema,
  CreateWebhookBodySchema,
  DataChangeBodySchema,
  ListUsersResponseSchema,
  ListWebhooksResponseSchema,
  ProblemSchema,
  TokenRequestSchema,
  TokenResponseSchema,
  UpdateWebhookBodySchema,
  UserSchema,
  VerifyKeysSchema,
  WebhookBodySchema,
  WebhookSubscriptionSchema,
} from '../../../shared/schemas'
import { specExamples, type SpecExample } from '../../support/openapi-examples'

function schemaFor(example: SpecExample): z.ZodType {
  const key = `${example.method.toUpperCase()} ${example.path} ${example.where === 'request' ? 'request' : example.status}`
  if (example.path.startsWith('#/components/responses/')) return ProblemSchema
  const table: Record<string, z.ZodType> = {
    'POST /auth/token request': TokenRequestSchema,
    'POST /auth/token 200': TokenResponseSchema,
    'GET /auth/verify_keys 200': VerifyKeysSchema,
    'GET /webhooks 200': ListWebhooksResponseSchema,
    'POST /webhooks request': CreateWebhookBodySchema,
    'POST /webhooks 201': WebhookSubscriptionSchema,
    'GET /webhooks/{webhook_id} 200': WebhookSubscriptionSchema,
    'PATCH /webhooks/{webhook_id} request': UpdateWebhookBodySchema,
    'PATCH /webhooks/{webhook_id} 200': WebhookSubscriptionSchema,
    'GET /users 200': ListUsersResponseSchema,
    'POST /users request': CreateUserBodySchema,
    'POST /users 200': UserSchema,
    'GET /users/{user_id} 200': UserSchema,
    'POST /users/{user_id}/data_change_requests request': DataChangeBodySchema,
    'POST webhook:Users events request': WebhookBodySchema,
  }
  const schema = table[key]
  if (!schema) throw new Error(`no schema mapped for ${key}`)
  return schema
}

const examples = specExamples()

describe('OpenAPI extract examples', () => {
  it('finds the examples of every documented operation', () => {
    expect(examples.length).toBeGreaterThanOrEqual(30)
    const labels = examples.map((e) => e.label)
    expect(labels).toContain('POST /users request [TOL]')
    expect(labels).toContain('POST webhook:Users events request [BYOL]')
  })

  it.each(examples.map((e) => [e.label, e] as const))('%s parses', (_label, example) => {
    const parsed = safeParseUnknown(schemaFor(example), example.value)
    expect(parsed.ok ? [] : parsed.issues).toEqual([])
  })
})
