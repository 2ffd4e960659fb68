/**
 * Which outbox entries may be sent now. Entries are offered in queue order (seq); only the
 * head of each user's lane can run (strict order per user), a parked head blocks only its
 * own lane, lanes already in flight are skipped, and at most `capacity` lanes start.
 * Pure: the engine feeds it entries straight from an index cursor and stops when it is full.
 */
import { assertNever } from '../../../shared/assert-never'
import type { OutboxEntry } from '../db/rows'
import { isLocalKey } from '../db/rows'

export interface SelectorOptions {
  readonly now: number
  /** Lanes (user keys) with an entry in flight in this engine. */
  readonly busyLanes: ReadonlySet<string>
  /** How many more lanes may start now. */
  readonly capacity: number
  /** A data change accepted longer ago than this is settled by a read-back. */
  readonly awaitTimeoutMs: number
}

export interface Selection {
  readonly runnable: readonly OutboxEntry[]
  /** The earliest local time a waiting head becomes runnable (backoff, await timeout); null: none. */
  readonly wakeAt: number | null
}

export class RunnableSelector {
  private readonly seenLanes = new Set<string>()
  private readonly runnable: OutboxEntry[] = []
  private wakeAt: number | null = null

  constructor(private readonly options: SelectorOptions) {}

  get full(): boolean {
    return this.runnable.length >= this.options.capacity
  }

  /** Offer the next entry in seq order. */
  offer(entry: OutboxEntry): void {
    if (this.full || this.seenLanes.has(entry.userKey)) return
    this.seenLanes.add(entry.userKey)
    if (this.options.busyLanes.has(entry.userKey)) return
    const readyAt = this.readyAt(entry)
    if (readyAt === null) return
    if (readyAt <= this.options.now) this.runnable.push(entry)
    else this.wakeAt = this.wakeAt === null ? readyAt : Math.min(this.wakeAt, readyAt)
  }

  /** When the lane head can run; null when only the person (parked) or another entry can unblock it. */
  private readyAt(entry: OutboxEntry): number | null {
    // A user known only locally can take nothing but its create.
    if (entry.kind !== 'create' && isLocalKey(entry.userKey)) return null
    switch (entry.state) {
      case 'queued':
        return entry.nextAttemptAt
      // Left "sending" by a crash or a closed tab: sent again (same idempotency key).
      case 'sending':
        return 0
      case 'awaiting':
        return (entry.acceptedAt ?? 0) + this.options.awaitTimeoutMs
      case 'parked':
        return null
      default:
        return assertNever(entry.state, 'outbox state')
    }
  }

  result(): Selection {
    return { runnable: [...this.runnable], wakeAt: this.wakeAt }
  }
}

/** The selector over a whole array (tests, small queues). */
export function nextRunnableEntries(entries: readonly OutboxEntry[], options: SelectorOptions): Selection {
  const selector = new RunnableSelector(options)
  for (const entry of [...entries].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))) {
    if (selector.full) break
    selector.offer(entry)
  }
  return selector.result()
}
