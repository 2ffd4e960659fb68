/**
 * The engine's network slots: at most `size` lanes have a request in the air. An entry that
 * is already marked "sending" waits here for a slot; a slot freed by an answer goes straight
 * to the longest waiter, so the next request leaves without waiting for any database write.
 */
interface Waiter {
  readonly lane: string
  readonly grant: () => void
}

export class NetworkSlots {
  private readonly holders = new Set<string>()
  private readonly waiters: Waiter[] = []
  private closed = false

  constructor(private readonly size: number) {}

  get inUse(): number {
    return this.holders.size
  }

  /** Resolves once `lane` holds a slot (at once if it already does or one is free), or the slots close. */
  acquire(lane: string): Promise<void> {
    if (this.closed || this.holders.has(lane)) return Promise.resolve()
    if (this.holders.size < this.size) {
      this.holders.add(lane)
      return Promise.resolve()
    }
    return new Promise((resolve) => this.waiters.push({ lane, grant: resolve }))
  }

  /** Frees `lane`'s slot, if it holds one, and hands it to the next waiter. */
  release(lane: string): void {
    if (!this.holders.delete(lane)) return
    const next = this.waiters.shift()
    if (next === undefined) return
    this.holders.add(next.lane)
    next.grant()
  }

  /** Shutdown: every waiter goes on at once (and finds the engine stopped). */
  close(): void {
    this.closed = true
    for (const waiter of this.waiters.splice(0)) waiter.grant()
  }
}
