import { describe, expect, it } from 'vitest'
import { DEFAULT_SUBSCRIPTION_CONFIG } from '../../../../server/bridge/bootstrap/ensure-subscription'
import { packEvents } from '../../../../server/sandbox/dispatcher'
import type { UserEvent } from '../../../../shared/schemas/events'
import { WebhookConfigSchema } from '../../../../shared/schemas/webhook'
import { serverUser } from '../../../support/sync/fixtures'

describe("the bridge's subscription", () => {
  it('asks for multi-event packages, so a burst of one user travels in one ordered delivery', () => {
    expect(WebhookConfigSchema.safeParse(DEFAULT_SUBSCRIPTION_CONFIG).success).toBe(true)
    const user = serverUser()
    const events = (['USER.CREATED', 'USER.ACTIVATED', 'USER.DATA_CHANGED', 'USER.OFFBOARDING_INITIATED'] as const).map(
      (type, i): UserEvent => ({ id: `00000000-0000-4000-8000-00000000000${i}`, type, created_at: user.created_at, webhook_id: user.id, object: user }) as UserEvent,
    )
    const packages = packEvents(events, DEFAULT_SUBSCRIPTION_CONFIG.max_package_size)
    expect(packages).toHaveLength(1)
    expect(packages[0]!.map((e) => e.type)).toEqual(events.map((e) => e.type))
  })
})
