import { describe, expect, it } from 'vitest'
import { DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT, parseFeedQuery } from '../../../../server/bridge/feed/feed-query'

const MAX_WAIT = 30

describe('parseFeedQuery', () => {
  it('defaults: from the start, default limit, no wait', () => {
    expect(parseFeedQuery({}, MAX_WAIT)).toEqual({ ok: true, query: { after: undefined, limit: DEFAULT_FEED_LIMIT, waitMs: 0 } })
  })

  it('reads after, limit and fractional wait', () => {
    expect(parseFeedQuery({ after: 'abc', limit: '5', wait: '1.5' }, MAX_WAIT)).toEqual({
      ok: true,
      query: { after: 'abc', limit: 5, waitMs: 1500 },
    })
  })

  it('clamps wait to the cap instead of holding a connection for hours', () => {
    expect(parseFeedQuery({ wait: '3600' }, MAX_WAIT)).toMatchObject({ ok: true, query: { waitMs: MAX_WAIT * 1000 } })
  })

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: String(MAX_FEED_LIMIT + 1) }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ wait: '-1' }, 'wait'],
    [{ wait: 'soon' }, 'wait'],
    [{ after: '' }, 'after'],
    [{ after: ['a', 'b'] }, 'after'],
  ])('rejects %j naming %s', (query, field) => {
    const result = parseFeedQuery(query, MAX_WAIT)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(field)
  })
})
