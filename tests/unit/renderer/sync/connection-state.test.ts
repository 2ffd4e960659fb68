// The status bar's one word for the connection: never "Online" without a recent answer from the API.
import { describe, expect, it } from 'vitest'
import { connectionState, CONTACT_FRESH_MS, type ConnectionFacts } from '../../../../renderer/src/sync/connection-state'

const NOW = 1_000_000
const fresh: ConnectionFacts = { deviceOnline: true, apiReachable: true, phase: 'idle', lastContact: NOW - 1_000, live: null, now: NOW }

describe('connectionState', () => {
  it('says Online only while the API answered within the last CONTACT_FRESH_MS', () => {
    expect(connectionState(fresh)).toBe('online')
    expect(connectionState({ ...fresh, lastContact: NOW - CONTACT_FRESH_MS - 1 })).toBe('checking')
    expect(connectionState({ ...fresh, lastContact: null })).toBe('checking')
  })

  it('tells no network on the device from a server that does not answer', () => {
    expect(connectionState({ ...fresh, deviceOnline: false })).toBe('offline')
    expect(connectionState({ ...fresh, apiReachable: false })).toBe('serverUnreachable')
    expect(connectionState({ ...fresh, phase: 'offline' })).toBe('serverUnreachable')
  })

  it('puts what needs the person first: rejected credentials, an app service gone', () => {
    expect(connectionState({ ...fresh, phase: 'credentials' })).toBe('credentials')
    expect(connectionState({ ...fresh, phase: 'unreachable', deviceOnline: false })).toBe('appService')
  })

  it('says live updates are paused when the bridge lost its subscription', () => {
    expect(connectionState({ ...fresh, live: false })).toBe('liveUpdatesPaused')
    expect(connectionState({ ...fresh, live: true })).toBe('online')
  })
})
