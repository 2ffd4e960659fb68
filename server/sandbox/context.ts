/** The simulator's parts, built once in `startSandbox` and handed to every route module. */
import type { KeyObject } from 'node:crypto'
import type { AuthService } from './auth'
import type { Clock } from './clock'
import type { DeliveryLog } from './delivery-log'
import type { WebhookDispatcher } from './dispatcher'
import type { FaultSwitches } from './faults'
import type { IdempotencyStore } from './idempotency'
import type { Lifecycle } from './lifecycle'
import type { ResolvedOptions } from './options'
import type { SubscriptionStore } from './subscriptions'
import type { UserStore } from './user-store'

export interface SandboxContext {
  readonly options: ResolvedOptions
  readonly clock: Clock
  readonly users: UserStore
  readonly subscriptions: SubscriptionStore
  readonly idempotency: IdempotencyStore
  readonly auth: AuthService
  readonly lifecycle: Lifecycle
  readonly dispatcher: WebhookDispatcher
  readonly deliveries: DeliveryLog
  readonly faults: FaultSwitches
  readonly webhookKey: { readonly keyId: string; readonly privateKey: KeyObject }
  /** Aborted on close: pending sleeps end at once. */
  readonly closing: AbortSignal
  /** Creates whose idempotency key is claimed but not yet answered. */
  inFlightCreates: number
  /** Replaces all users by `count` seeded demo users and clears the rest of the state. */
  reset(count: number, prngSeed?: number): void
  /** A change worth saving happened (state file). */
  changed(): void
}
