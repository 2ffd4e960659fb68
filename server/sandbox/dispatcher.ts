/**
 * Webhook delivery as the provider does it: events collect per subscription for its
 * `delay`, go out as `{ payload: [...] }` packages up to `max_package_size` bytes, signed
 * (draft 06, P-521), and each package is retried with exponential backoff until the
 * receiver answers 200 — so duplicates and reordering across packages happen.
 */
import { randomUUID, type KeyObject } from 'node:crypto'
import { signRequest, signWebhook } from '../../shared/node/http-signature'
import { assertNever } from '../../shared/assert-never'
import type { UserEvent, UserEventType, WebhookSubscription } from '../../shared/schemas'
import type { Clock } from './clock'
import type { DeliveryLog } from './delivery-log'
import type { SubscriptionStore } from './subscriptions'

const SECOND_MS = 1000
const MINUTE_MS = 60 * SECOND_MS

/** An event before it is addressed to a subscription. */
export type EventDraft = Omit<UserEvent, 'id' | 'webhook_id'>

export interface DispatcherOptions {
  readonly signingKey: KeyObject
  readonly keyId: string
  readonly clock: Clock
  readonly log: DeliveryLog
  readonly subscriptions: SubscriptionStore
  readonly delayOverrideMs: number | undefined
  readonly retryBaseMs: number
  readonly retryMaxMs: number
  readonly attemptTimeoutMs: number
  /** draft-06 is what the provider sends today; draft-15 is where it may move. */
  readonly signatureFormat: WebhookSignatureFormat
}

export type WebhookSignatureFormat = 'draft-06' | 'draft-15'

export function parseDelay(delay: string): number {
  const match = /^([1-9][0-9]?)([sm])$/.exec(delay)
  if (match === null) return SECOND_MS
  return Number(match[1]) * (match[2] === 'm' ? MINUTE_MS : SECOND_MS)
}

function wantsUserEvents(subscription: WebhookSubscription): boolean {
  return subscription.type.includes('USER') || subscription.type.includes('ALL')
}

/** Splits events into packages whose JSON stays within `maxBytes` (at least one event each). */
export function packEvents(events: readonly UserEvent[], maxBytes: number): UserEvent[][] {
  const packages: UserEvent[][] = []
  let current: UserEvent[] = []
  let size = '{"payload":[]}'.length
  for (const event of events) {
    const eventSize = Buffer.byteLength(JSON.stringify(event)) + 1
    if (current.length > 0 && size + eventSize > maxBytes) {
      packages.push(current)
      current = []
      size = '{"payload":[]}'.length
    }
    current.push(event)
    size += eventSize
  }
  if (current.length > 0) packages.push(current)
  return packages
}

export class WebhookDispatcher {
  private readonly queues = new Map<string, UserEvent[]>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly closing = new AbortController()
  private inFlight = 0

  constructor(private readonly options: DispatcherOptions) {}

  /** Addresses the events to every enabled USER subscription and queues them. */
  publish(drafts: readonly EventDraft[]): void {
    for (const subscription of this.options.subscriptions.list()) {
      if (!subscription.enabled || !wantsUserEvents(subscription)) continue
      const events = drafts.map((draft) => ({ ...draft, id: randomUUID(), webhook_id: subscription.id }) as UserEvent)
      const queue = this.queues.get(subscription.id)
      if (queue !== undefined) {
        queue.push(...events)
        continue
      }
      this.queues.set(subscription.id, events)
      const delay = this.options.delayOverrideMs ?? parseDelay(subscription.config.delay)
      this.schedule(delay, () => this.flush(subscription.id))
    }
  }

  /** `GET /webhooks/{id}/test`: one signed package with a test event, sent once. */
  sendTest(subscription: WebhookSubscription): void {
    const event = {
      id: randomUUID(),
      created_at: this.options.clock.nowIso(),
      type: 'WEBHOOK.TEST',
      object: { message: 'test delivery' },
      webhook_id: subscription.id,
    }
    this.launch(subscription.id, randomUUID(), JSON.stringify({ payload: [event] }), [event.id], [event.type], 1, false)
  }

  get pending(): number {
    let queued = 0
    for (const queue of this.queues.values()) queued += queue.length
    return queued + this.inFlight
  }

  clearQueues(): void {
    this.queues.clear()
  }

  close(): void {
    this.closing.abort()
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.queues.clear()
  }

  private sign(url: string, headers: Readonly<Record<string, string>>, body: string): Record<string, string> {
    const key = { keyId: this.options.keyId, privateKey: this.options.signingKey }
    switch (this.options.signatureFormat) {
      case 'draft-06':
        return { ...signWebhook({ url, headers, body, ...key }) }
      case 'draft-15':
        return {
          ...signRequest({ method: 'POST', url, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body, ...key }),
        }
      default:
        return assertNever(this.options.signatureFormat, 'webhook signature format')
    }
  }

  /** Runs one attempt in the background; a bug there is logged, never an unhandled rejection. */
  private launch(...args: Parameters<WebhookDispatcher['attempt']>): void {
    this.attempt(...args).catch((error: unknown) => console.error('sandbox: webhook delivery failed unexpectedly', error))
  }

  private schedule(ms: number, run: () => void): void {
    if (this.closing.signal.aborted) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      run()
    }, ms)
    this.timers.add(timer)
  }

  private flush(subscriptionId: string): void {
    const events = this.queues.get(subscriptionId) ?? []
    this.queues.delete(subscriptionId)
    const subscription = this.options.subscriptions.get(subscriptionId)
    if (subscription === undefined || events.length === 0) return
    const sorted = [...events].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))
    for (const pack of packEvents(sorted, subscription.config.max_package_size)) {
      const body = JSON.stringify({ payload: pack })
      this.launch(
        subscriptionId,
        randomUUID(),
        body,
        pack.map((e) => e.id),
        pack.map((e): UserEventType => e.type),
        1,
        true,
      )
    }
  }

  private async attempt(
    subscriptionId: string,
    deliveryId: string,
    body: string,
    eventIds: readonly string[],
    eventTypes: readonly string[],
    attempt: number,
    retry: boolean,
  ): Promise<void> {
    // A deleted subscription gets no more deliveries, not even retries.
    const subscription = this.options.subscriptions.get(subscriptionId)
    if (subscription === undefined || this.closing.signal.aborted) return
    const headers = { 'content-type': 'application/json' }
    const signature = this.sign(subscription.url, headers, body)
    let status: number | null = null
    let error: string | undefined
    this.inFlight += 1
    try {
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: { ...headers, ...signature },
        body,
        signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.options.attemptTimeoutMs)]),
      })
      status = response.status
      await response.arrayBuffer().catch(() => undefined)
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught)
    } finally {
      this.inFlight -= 1
    }
    if (this.closing.signal.aborted) return
    this.options.log.add({
      delivery_id: deliveryId,
      webhook_id: subscriptionId,
      url: subscription.url,
      attempt,
      at: this.options.clock.nowIso(),
      event_ids: eventIds,
      event_types: eventTypes,
      status,
      ...(error === undefined ? {} : { error }),
    })
    if (status === 200 || !retry) return
    const backoff = Math.min(this.options.retryBaseMs * 2 ** (attempt - 1), this.options.retryMaxMs)
    this.schedule(backoff, () => this.launch(subscriptionId, deliveryId, body, eventIds, eventTypes, attempt + 1, retry))
  }
}
