/**
 * Makes sure the API sends USER events to this bridge: finds the subscription for the
 * bridge's public receiver URL or creates it, and enables it (the API creates
 * subscriptions disabled). Uses the app's own API client, so signing and auth are shared.
 */
import type { ApiResult } from '../../../shared/api-result'
import type { ApiClient } from '../../../shared/node/api'
import type { WebhookConfig, WebhookSubscription } from '../../../shared/schemas'

export type SubscriptionApi = Pick<ApiClient, 'listWebhooks' | 'createWebhook' | 'updateWebhook'>

export type SubscriptionAction = 'unchanged' | 'created' | 'enabled'

export interface EnsureSubscriptionOptions {
  readonly url: string
  readonly title?: string
  readonly config?: WebhookConfig
}

export const DEFAULT_SUBSCRIPTION_TITLE = 'Outpost bridge'
/**
 * Short delay: field staff expect the desktop to follow within seconds. Packages of up to
 * 64 KiB: events of one delivery arrive together and in order (100 bytes sent each event alone,
 * so retried deliveries could reorder a user's events).
 */
export const DEFAULT_SUBSCRIPTION_CONFIG: WebhookConfig = { delay: '1s', max_package_size: 64 * 1024 }

const sameUrl = (a: string, b: string): boolean => new URL(a).href === new URL(b).href
const coversUsers = (hook: WebhookSubscription): boolean => hook.type.includes('USER') || hook.type.includes('ALL')

export async function ensureSubscription(
  api: SubscriptionApi,
  options: EnsureSubscriptionOptions,
): Promise<ApiResult<{ readonly subscription: WebhookSubscription; readonly action: SubscriptionAction }>> {
  const listed = await api.listWebhooks()
  if (!listed.ok) return listed
  const existing = listed.value.data.find((hook) => sameUrl(hook.url, options.url) && coversUsers(hook))

  let subscription: WebhookSubscription
  let action: SubscriptionAction = 'unchanged'
  if (existing === undefined) {
    const created = await api.createWebhook({
      title: options.title ?? DEFAULT_SUBSCRIPTION_TITLE,
      url: options.url,
      type: ['USER'],
      config: options.config ?? DEFAULT_SUBSCRIPTION_CONFIG,
    })
    if (!created.ok) return created
    subscription = created.value
    action = 'created'
  } else {
    subscription = existing
  }
  if (!subscription.enabled) {
    const enabled = await api.updateWebhook(subscription.id, { enabled: true })
    if (!enabled.ok) return enabled
    subscription = enabled.value
    if (action === 'unchanged') action = 'enabled'
  }
  return { ok: true, value: { subscription, action } }
}

/** The URL the API should post to: the public base URL plus the receiver path (unless already there). */
export function receiverUrl(publicUrl: string, receiverPath: string): string {
  const base = new URL(publicUrl)
  if (base.pathname.replace(/\/+$/, '').endsWith(receiverPath.replace(/\/+$/, ''))) return base.href
  return new URL(receiverPath.replace(/^\/+/, ''), base.href.endsWith('/') ? base.href : `${base.href}/`).href
}
