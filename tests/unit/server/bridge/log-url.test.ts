import { describe, expect, it } from 'vitest'
import { redactUrl } from '../../../../server/bridge/log-url'

const TOKEN = 'Zm9vYmFyYmF6cXV4LXRva2VuLXZhbHVlLTEyMzQ1'

describe('redactUrl', () => {
  it.each([
    ['/events', '/events'],
    ['/events?limit=100&wait=25.5', '/events?limit=100&wait=25.5'],
    [`/events?token=${TOKEN}`, '/events?token=[redacted]'],
    [`/events?after=${TOKEN}&limit=5`, '/events?after=[redacted]&limit=5'],
    [`/events/${TOKEN}`, '/events/[redacted]'],
    [`/documents/${TOKEN}`, '/documents/[redacted]'],
    [`/events?${TOKEN}`, '/events?[redacted]'],
    ['/webhooks/upvest', '/webhooks/upvest'],
    ['/events?token=short', '/events?token=[redacted]'],
  ])('%s -> %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })
})
