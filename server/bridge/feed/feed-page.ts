/**
 * The body of a feed page, made once per shared read: when one delivery wakes hundreds of
 * long-polls they all hold the same read outcome (see `coalesced-read.ts`), so they also
 * get the same bytes instead of each splicing and encoding the page again.
 */
import type { BridgeSubscriptionStatus } from '../../../shared/schemas/bridge-feed'
import type { StoredEvent } from '../storage/event-store'

export interface FeedPage {
  readonly events: readonly StoredEvent[]
  readonly nextCursor: string
}

/** Events are stored as their exact JSON; splice them in rather than parse and re-serialize. */
export function feedPageJson(page: FeedPage, subscription: BridgeSubscriptionStatus): string {
  return `{"events":[${page.events.map((e) => e.json).join(',')}],"next_cursor":${JSON.stringify(page.nextCursor)},"subscription":${JSON.stringify(subscription)}}`
}

/**
 * Encodes a page once per (page object, subscription status); the status can change
 * between two answers of the same page, so it is part of the key.
 */
export function createFeedPageEncoder(): (page: FeedPage, subscription: BridgeSubscriptionStatus) => Buffer {
  const encoded = new WeakMap<FeedPage, { readonly subscription: string; readonly body: Buffer }>()
  return (page, subscription) => {
    const status = JSON.stringify(subscription)
    const cached = encoded.get(page)
    if (cached?.subscription === status) return cached.body
    const body = Buffer.from(feedPageJson(page, subscription), 'utf8')
    encoded.set(page, { subscription: status, body })
    return body
  }
}
