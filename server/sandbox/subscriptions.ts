/**
 * Webhook subscriptions: created disabled (as the provider does), enabled by PATCH. URLs
 * must be https; plain http only on loopback hosts, for local receivers.
 */
import { randomUUID } from 'node:crypto'
import type { CreateWebhookBody, UpdateWebhookBody, WebhookSubscription } from '../../shared/schemas'
import type { Clock } from './clock'
import { ApiProblem } from './problem'

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function checkWebhookUrl(url: string): void {
  const parsed = new URL(url)
  if (parsed.protocol === 'https:') return
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return
  throw new ApiProblem(400, 'url: must be an https URL (plain http only on 127.0.0.1, localhost or [::1])')
}

export class SubscriptionStore {
  private readonly subscriptions = new Map<string, WebhookSubscription>()

  constructor(private readonly clock: Clock) {}

  list(): WebhookSubscription[] {
    return [...this.subscriptions.values()]
  }

  get(id: string): WebhookSubscription | undefined {
    return this.subscriptions.get(id)
  }

  create(body: Required<Pick<CreateWebhookBody, 'type'>> & CreateWebhookBody): WebhookSubscription {
    checkWebhookUrl(body.url)
    const now = this.clock.nowIso()
    const subscription: WebhookSubscription = {
      id: randomUUID(),
      created_at: now,
      updated_at: now,
      title: body.title,
      url: body.url,
      type: [...body.type],
      enabled: false,
      config: { ...body.config },
    }
    this.subscriptions.set(subscription.id, subscription)
    return subscription
  }

  update(id: string, body: UpdateWebhookBody): WebhookSubscription | undefined {
    const current = this.subscriptions.get(id)
    if (current === undefined) return undefined
    if (body.url !== undefined) checkWebhookUrl(body.url)
    const next: WebhookSubscription = {
      ...current,
      ...(body.title === undefined ? {} : { title: body.title }),
      ...(body.url === undefined ? {} : { url: body.url }),
      ...(body.type === undefined ? {} : { type: [...body.type] }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      ...(body.config === undefined ? {} : { config: { ...body.config } }),
      updated_at: this.clock.nowIso(),
    }
    this.subscriptions.set(id, next)
    return next
  }

  delete(id: string): boolean {
    return this.subscriptions.delete(id)
  }

  load(subscriptions: readonly WebhookSubscription[]): void {
    this.subscriptions.clear()
    for (const subscription of subscriptions) this.subscriptions.set(subscription.id, subscription)
  }

  clear(): void {
    this.subscriptions.clear()
  }
}
