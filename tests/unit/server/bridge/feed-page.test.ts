import { describe, expect, it } from 'vitest'
import { BridgeFeedResponseSchema } from '../../../../shared/schemas/bridge-feed'
import { createFeedPageEncoder, type FeedPage } from '../../../../server/bridge/feed/feed-page'
import { userEvent } from '../../../integration/bridge/support'

const stored = (seq: number): FeedPage['events'][number] => {
  const event = userEvent({ id: `00000000-0000-4000-8000-00000000000${seq}` })
  return { seq, id: event.id, receivedAt: 0, json: JSON.stringify(event) }
}

describe('feed page encoding', () => {
  it('splices the stored JSON in verbatim and yields a page clients accept', () => {
    const encode = createFeedPageEncoder()
    const page: FeedPage = { events: [stored(1), stored(2)], nextCursor: 'c2' }
    const body = JSON.parse(encode(page, { live: true, state: 'ok' }).toString('utf8')) as unknown
    const parsed = BridgeFeedResponseSchema.parse(body)
    expect(parsed.events.map((e) => e.id)).toEqual(page.events.map((e) => e.id))
    expect(parsed.next_cursor).toBe('c2')
    expect(parsed.subscription).toEqual({ live: true, state: 'ok' })
    expect(JSON.stringify((body as { events: unknown[] }).events[0])).toBe(page.events[0]!.json)
  })

  it('encodes a page shared by many woken long-polls once, and again when the subscription state changed', () => {
    const encode = createFeedPageEncoder()
    const page: FeedPage = { events: [stored(1)], nextCursor: 'c1' }
    const first = encode(page, { live: true, state: 'ok' })
    expect(encode(page, { live: true, state: 'ok' })).toBe(first)
    const paused = encode(page, { live: false, state: 'silent', detail: 'no test delivery arrived' })
    expect(paused).not.toBe(first)
    expect(JSON.parse(paused.toString('utf8'))).toMatchObject({ subscription: { live: false, state: 'silent' } })
    // Another page with the same content is another read: encoded on its own.
    expect(encode({ ...page }, { live: true, state: 'ok' })).not.toBe(first)
  })
})
