/**
 * The bridge's client feed (`GET /events`), shared by the bridge that serves it and the
 * poller in main that reads it. Cursors are opaque strings: clients only hand them back.
 */
import { z } from 'zod'
import { UserEventSchema } from './events'
import { ProblemSchema } from './problem'

/**
 * Whether the API is known to be delivering to the bridge. `live: false` means webhooks are
 * not arriving (subscription check failing, or a test delivery never came): show "live
 * updates paused" rather than pretend the list is current. `state` is open for new values.
 */
export const BridgeSubscriptionStatusSchema = z.object({
  live: z.boolean(),
  /** `ok`, `unmanaged` (the bridge does not own a subscription), `unchecked` (confirmed before, the API not reachable now), `failed`, `silent`, ... */
  state: z.string().min(1),
  detail: z.string().optional(),
})
export type BridgeSubscriptionStatus = z.infer<typeof BridgeSubscriptionStatusSchema>

export const BridgeFeedResponseSchema = z.object({
  /** Oldest first, in the order the bridge received them. */
  events: z.array(UserEventSchema),
  /** Hand back as `after` on the next call; persist it only once the events are applied. */
  next_cursor: z.string().min(1),
  /** Optional: older bridges do not send it, and older clients ignore it. */
  subscription: BridgeSubscriptionStatusSchema.optional(),
})
export type BridgeFeedResponse = z.infer<typeof BridgeFeedResponseSchema>

/** 410 Gone: the cursor predates what the bridge kept; reconcile fully, then restart from `head_cursor`. */
export const BridgeCursorGoneSchema = ProblemSchema.extend({ status: z.literal(410), head_cursor: z.string().min(1) })
export type BridgeCursorGone = z.infer<typeof BridgeCursorGoneSchema>
