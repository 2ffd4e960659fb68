/** A bounded log of webhook delivery attempts, for tests and `/__sandbox/deliveries`. */

const MAX_LOG_ENTRIES = 5000

export interface DeliveryAttempt {
  readonly delivery_id: string
  readonly webhook_id: string
  readonly url: string
  readonly attempt: number
  readonly at: string
  readonly event_ids: readonly string[]
  readonly event_types: readonly string[]
  /** HTTP status, or null when the receiver could not be reached. */
  readonly status: number | null
  readonly error?: string
}

export class DeliveryLog {
  private entries: DeliveryAttempt[] = []

  add(entry: DeliveryAttempt): void {
    this.entries.push(entry)
    if (this.entries.length > MAX_LOG_ENTRIES) this.entries = this.entries.slice(-MAX_LOG_ENTRIES)
  }

  list(): readonly DeliveryAttempt[] {
    return this.entries
  }

  clear(): void {
    this.entries = []
  }
}
