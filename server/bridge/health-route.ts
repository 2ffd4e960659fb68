/**
 * `GET /health`: is storage answering, when did the last delivery land, how old are the
 * verify keys, how many clients are waiting, whether the subscription delivers. No secrets,
 * no auth, so monitors can read it: `status` is `degraded` with `reasons` when storage fails
 * (503) or the subscription is failing or silent (200: clients are still served).
 */
import type { FastifyInstance } from 'fastify'
import type { EventStore } from './storage/event-store'
import type { VerifyKeyCache } from './receiver/verify-key-cache'
import type { Notifier } from './feed/notifier'

const MS_PER_SECOND = 1000

export interface HealthRouteOptions {
  readonly store: EventStore
  readonly keys: VerifyKeyCache
  readonly notifier: Notifier
  readonly lastDeliveryAt: () => number | undefined
  readonly subscription: () => { readonly state: string; readonly detail?: string; readonly [field: string]: unknown }
}

const DEGRADED_SUBSCRIPTION_STATES = new Set(['failed', 'silent'])

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString())

export function registerHealthRoute(app: FastifyInstance, options: HealthRouteOptions): void {
  app.get('/health', async (_request, reply) => {
    const storage = await options.store.health()
    const keys = options.keys.status()
    const now = Date.now()
    const subscription = options.subscription()
    const reasons = [
      ...(storage.ok ? [] : [`storage: ${storage.error}`]),
      ...(DEGRADED_SUBSCRIPTION_STATES.has(subscription.state)
        ? [`subscription ${subscription.state}: ${subscription.detail ?? 'no detail'}`]
        : []),
    ]
    return reply
      .code(storage.ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: reasons.length === 0 ? 'ok' : 'degraded',
        reasons,
        storage,
        last_delivery_at: iso(options.lastDeliveryAt() ?? (storage.ok ? (storage.lastReceivedAt ?? undefined) : undefined)),
        verify_keys: {
          fetched_at: iso(keys.fetchedAt),
          age_seconds: keys.fetchedAt === undefined ? null : Math.round((now - keys.fetchedAt) / MS_PER_SECOND),
          count: keys.keyCount,
          last_error: keys.lastError ?? null,
        },
        waiting_clients: options.notifier.waiting,
        subscription,
      })
  })
}
