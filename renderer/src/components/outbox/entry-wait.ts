/**
 * What an outbox entry is waiting for, said truthfully: an entry marked "sending" while the
 * laptop is offline is waiting for the network (for the server when the laptop has a network
 * but the API does not answer properly, for the app's own service when main does not), one held back by the server's Retry-After or
 * a backoff waits until a time, an accepted data change waits for its confirmation until its
 * deadline. Parked entries say their reason elsewhere (entry-reason.ts).
 */
import { assertNever } from '../../../../shared/assert-never'
import type { OutboxEntry } from '../../db/rows'
import type { ConnectionState } from '../../sync/connection-state'

export type EntryWait =
  | { readonly kind: 'network' }
  | { readonly kind: 'server' }
  | { readonly kind: 'appService' }
  | { readonly kind: 'credentials' }
  | { readonly kind: 'until'; readonly at: number }
  | { readonly kind: 'ready' }
  | { readonly kind: 'sending' }
  | { readonly kind: 'confirmation'; readonly deadline: number }
  | { readonly kind: 'parked' }

export interface WaitFacts {
  readonly connection: ConnectionState
  readonly now: number
  /** The client-wide pause (Retry-After), local ms. */
  readonly pausedUntil: number
  readonly confirmDeadlineMs: number
}

export function entryWait(entry: OutboxEntry, facts: WaitFacts): EntryWait {
  switch (entry.state) {
    case 'parked':
      return { kind: 'parked' }
    case 'awaiting':
      return { kind: 'confirmation', deadline: (entry.awaitingSince ?? entry.acceptedAt ?? entry.updatedAt) + facts.confirmDeadlineMs }
    case 'queued':
    case 'sending': {
      if (facts.connection === 'offline') return { kind: 'network' }
      if (facts.connection === 'serverUnreachable') return { kind: 'server' }
      if (facts.connection === 'appService') return { kind: 'appService' }
      if (facts.connection === 'credentials') return { kind: 'credentials' }
      const until = Math.max(facts.pausedUntil, entry.state === 'queued' ? entry.nextAttemptAt : 0)
      if (until > facts.now) return { kind: 'until', at: until }
      return entry.state === 'sending' ? { kind: 'sending' } : { kind: 'ready' }
    }
    default:
      return assertNever(entry.state, 'outbox entry state')
  }
}
