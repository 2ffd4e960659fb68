/**
 * When one delivery wakes hundreds of long-polls parked on the same cursor, they all ask
 * the store the same question at once: answer it once and share the result. Keyed by the
 * notifier's generation, so a read begun before new events arrived is never reused after.
 */
import type { EventStore, ReadOutcome } from '../storage/event-store'
import type { Notifier } from './notifier'

export type FeedReader = (after: string | undefined, limit: number) => Promise<ReadOutcome>

export function createCoalescedReader(store: EventStore, notifier: Pick<Notifier, 'generation'>): FeedReader {
  const inFlight = new Map<string, Promise<ReadOutcome>>()
  return (after, limit) => {
    const key = `${notifier.generation}|${limit}|${after ?? ''}`
    const pending = inFlight.get(key)
    if (pending !== undefined) return pending
    const read = store.readAfter(after, limit).finally(() => inFlight.delete(key))
    inFlight.set(key, read)
    return read
  }
}
