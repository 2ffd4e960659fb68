/** What an outbox entry says it waits for: the network, the server or the app's own service are told apart. */
import { describe, expect, it } from 'vitest'
import { entryWait, type WaitFacts } from '../../../../renderer/src/components/outbox/entry-wait'
import type { ConnectionState } from '../../../../renderer/src/sync/connection-state'
import { outboxEntry } from '../../../support/sync/fixtures'

const NOW = Date.parse('2026-11-30T10:00:00Z')
const facts = (connection: ConnectionState): WaitFacts => ({ connection, now: NOW, pausedUntil: 0, confirmDeadlineMs: 60_000 })

describe('entry wait', () => {
  it('a queued entry waits for what is missing: the network, the server, the app service or credentials', () => {
    const queued = outboxEntry('u1', { state: 'queued', nextAttemptAt: 0 })
    expect(entryWait(queued, facts('offline'))).toEqual({ kind: 'network' })
    // The laptop has a network; the API does not answer (or answers 5xx): not "waiting for network".
    expect(entryWait(queued, facts('serverUnreachable'))).toEqual({ kind: 'server' })
    expect(entryWait(queued, facts('appService'))).toEqual({ kind: 'appService' })
    expect(entryWait(queued, facts('credentials'))).toEqual({ kind: 'credentials' })
    expect(entryWait(queued, facts('online'))).toEqual({ kind: 'ready' })
  })

  it('an entry in backoff or under a Retry-After pause says until when; one marked sends', () => {
    expect(entryWait(outboxEntry('u1', { state: 'queued', nextAttemptAt: NOW + 5_000 }), facts('online'))).toEqual({
      kind: 'until',
      at: NOW + 5_000,
    })
    expect(entryWait(outboxEntry('u1', { state: 'queued', nextAttemptAt: 0 }), { ...facts('online'), pausedUntil: NOW + 9_000 })).toEqual({
      kind: 'until',
      at: NOW + 9_000,
    })
    expect(entryWait(outboxEntry('u1', { state: 'sending' }), facts('online'))).toEqual({ kind: 'sending' })
  })
})
