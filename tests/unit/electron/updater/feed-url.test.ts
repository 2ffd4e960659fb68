// The update feed from settings becomes a generic-provider feed only when it is safe to fetch code from.
import { describe, expect, it } from 'vitest'
import { genericFeed } from '../../../../electron/services/updater/feed-url'

describe('genericFeed', () => {
  it('accepts https and normalises the trailing slash', () => {
    expect(genericFeed('https://updates.example.com/outpost')).toEqual({ provider: 'generic', url: 'https://updates.example.com/outpost/' })
    expect(genericFeed('https://updates.example.com/outpost/')).toEqual({
      provider: 'generic',
      url: 'https://updates.example.com/outpost/',
    })
  })

  it('allows plain http on loopback only', () => {
    expect(genericFeed('http://127.0.0.1:8080/feed')?.url).toBe('http://127.0.0.1:8080/feed/')
    expect(genericFeed('http://updates.example.com/feed')).toBeNull()
  })

  it('has no feed when the setting is empty or not a URL', () => {
    for (const value of [undefined, null, '', '  ', 'not a url', 'file:///tmp/feed', 'ftp://example.com/'])
      expect(genericFeed(value)).toBeNull()
  })
})
