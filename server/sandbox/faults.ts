/**
 * Fault switches for tests and demos (never on the real API): added latency, a rate of
 * 500/503, 429 with Retry-After (next n, or everything), dropped connections, answers lost
 * after the write committed, and holding POST /users open to observe in-flight keys.
 */
import { z } from 'zod'

export const FaultsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(60_000),
  errorRate: z.number().min(0).max(1),
  errorStatus: z.union([z.literal(500), z.literal(503)]),
  rateLimitNext: z.number().int().min(0),
  rateLimitAll: z.boolean(),
  retryAfterSeconds: z.number().int().min(0).max(3600),
  dropNext: z.number().int().min(0),
  timeoutAfterCommitNext: z.number().int().min(0),
  /** While true, POST /users claims its idempotency key and then waits until released. */
  holdCreates: z.boolean(),
})
export type Faults = z.infer<typeof FaultsSchema>
export const FaultsPatchSchema = FaultsSchema.partial()

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 503,
  rateLimitNext: 0,
  rateLimitAll: false,
  retryAfterSeconds: 1,
  dropNext: 0,
  timeoutAfterCommitNext: 0,
  holdCreates: false,
}

export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'server_error'; readonly status: 500 | 503 }

const WRITE_METHODS = new Set(['POST', 'PATCH', 'DELETE'])

export class FaultSwitches {
  private state: Faults = { ...NO_FAULTS }
  private held: Array<() => void> = []

  constructor(private readonly random: () => number) {}

  get current(): Faults {
    return this.state
  }

  patch(patch: Partial<Faults>): Faults {
    this.state = { ...this.state, ...patch }
    if (!this.state.holdCreates) this.releaseHeld()
    return this.state
  }

  reset(): void {
    this.state = { ...NO_FAULTS }
    this.releaseHeld()
  }

  /** Resolves at once, or when `holdCreates` is switched off (or the simulator closes). */
  async waitWhileHeld(signal: AbortSignal): Promise<void> {
    if (!this.state.holdCreates || signal.aborted) return
    await new Promise<void>((resolve) => {
      this.held.push(resolve)
      signal.addEventListener('abort', () => resolve(), { once: true })
    })
  }

  private releaseHeld(): void {
    const waiting = this.held
    this.held = []
    for (const release of waiting) release()
  }

  /** Decided before a request is handled; counted switches are used up one by one. */
  beforeRequest(): FaultDecision {
    if (this.state.dropNext > 0) {
      this.state = { ...this.state, dropNext: this.state.dropNext - 1 }
      return { kind: 'drop' }
    }
    if (this.state.rateLimitAll) return { kind: 'rate_limited', retryAfterSeconds: this.state.retryAfterSeconds }
    if (this.state.rateLimitNext > 0) {
      this.state = { ...this.state, rateLimitNext: this.state.rateLimitNext - 1 }
      return { kind: 'rate_limited', retryAfterSeconds: this.state.retryAfterSeconds }
    }
    if (this.state.errorRate > 0 && this.random() < this.state.errorRate) return { kind: 'server_error', status: this.state.errorStatus }
    return { kind: 'none' }
  }

  /** True when this committed write's answer must be lost. */
  loseAnswer(method: string, status: number): boolean {
    if (this.state.timeoutAfterCommitNext === 0 || !WRITE_METHODS.has(method) || status >= 300) return false
    this.state = { ...this.state, timeoutAfterCommitNext: this.state.timeoutAfterCommitNext - 1 }
    return true
  }
}
