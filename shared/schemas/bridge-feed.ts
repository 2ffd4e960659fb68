/**
 * The bridge's client feed (`GET /events`), shared by the bridge that serves it and the
 * poller in main that reads it. Cursors are opaque strings: clients only hand them back.
 */
import { z } from 'zod'
import { UserEventSchema } from './events'
import { ProblemSchema } from './problem'

export const BridgeFeedResponseSchema = z.object({
  /** Oldest first, in the order the bridge received them. */
  events: z.array(UserEventSchema),
  /** Hand back as `after` on the next call; persist it only once the events are applied. */
  next_cursor: z.string().min(1),
})
export type BridgeFeedResponse = z.infer<typeof BridgeFeedResponseSchema>

/** 410 Gone: the cursor predates what the bridge kept; reconcile fully, then restart from `head_cursor`. */
export const BridgeCursorGoneSchema = ProblemSchema.extend({ status: z.literal(410), head_cursor: z.string().min(1) })
export type BridgeCursorGone = z.infer<typeof BridgeCursorGoneSchema>
