/**
 * `idempotency-key` for `POST /users` as settled for this project: keys kept 24 h per
 * client; the same key and body replays the first answer; a different body is 422; a
 * key whose first request is still running is 409.
 */
import { createHash } from 'node:crypto'

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000

export interface StoredAnswer {
  readonly status: number
  readonly body: unknown
}

type Entry =
  | { readonly state: 'in_flight'; readonly bodyHash: string; readonly expiresAt: number }
  | { readonly state: 'done'; readonly bodyHash: string; readonly expiresAt: number; readonly answer: StoredAnswer }

export type Claim =
  | { readonly kind: 'new'; complete(answer: StoredAnswer): void; abandon(): void }
  | { readonly kind: 'replay'; readonly answer: StoredAnswer }
  | { readonly kind: 'in_flight' }
  | { readonly kind: 'body_mismatch' }

export function hashBody(raw: Buffer | string): string {
  return createHash('sha256').update(raw).digest('hex')
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Claims `key` for this body, or says why the request must not run. */
  claim(clientId: string, key: string, bodyHash: string): Claim {
    const id = `${clientId}\n${key}`
    const existing = this.entries.get(id)
    const now = this.now()
    if (existing !== undefined && existing.expiresAt > now) {
      if (existing.bodyHash !== bodyHash) return { kind: 'body_mismatch' }
      if (existing.state === 'in_flight') return { kind: 'in_flight' }
      return { kind: 'replay', answer: existing.answer }
    }
    const expiresAt = now + IDEMPOTENCY_RETENTION_MS
    this.entries.set(id, { state: 'in_flight', bodyHash, expiresAt })
    return {
      kind: 'new',
      complete: (answer) => this.entries.set(id, { state: 'done', bodyHash, expiresAt, answer }),
      // A request that failed before committing leaves no trace, so a retry may run again.
      abandon: () => this.entries.delete(id),
    }
  }

  prune(): void {
    const now = this.now()
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id)
  }

  clear(): void {
    this.entries.clear()
  }
}
