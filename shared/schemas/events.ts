/**
 * Webhook events of the Users section and the delivery envelope. DATA_CHANGE_FAILED
 * carries `{ user_id, reason }`; every other type carries the whole user.
 */
import { z } from 'zod'
import { DateTimeSchema, UuidSchema } from './common'
import { UserSchema } from './user'

export const USER_EVENT_TYPES = [
  'USER.CREATED',
  'USER.ACTIVATED',
  'USER.DEACTIVATED',
  'USER.DATA_CHANGED',
  'USER.DATA_CHANGE_FAILED',
  'USER.OFFBOARDING_INITIATED',
  'USER.OFFBOARDED',
] as const
export const UserEventTypeSchema = z.enum(USER_EVENT_TYPES)
export type UserEventType = z.infer<typeof UserEventTypeSchema>

const eventBase = { id: UuidSchema, created_at: DateTimeSchema, webhook_id: UuidSchema }

const userEvent = <T extends Exclude<UserEventType, 'USER.DATA_CHANGE_FAILED'>>(type: T) =>
  z.object({ ...eventBase, type: z.literal(type), object: UserSchema })

export const DataChangeFailedObjectSchema = z.object({ user_id: UuidSchema, reason: z.string() })

export const UserEventSchema = z.discriminatedUnion('type', [
  userEvent('USER.CREATED'),
  userEvent('USER.ACTIVATED'),
  userEvent('USER.DEACTIVATED'),
  userEvent('USER.DATA_CHANGED'),
  z.object({ ...eventBase, type: z.literal('USER.DATA_CHANGE_FAILED'), object: DataChangeFailedObjectSchema }),
  userEvent('USER.OFFBOARDING_INITIATED'),
  userEvent('USER.OFFBOARDED'),
])
export type UserEvent = z.infer<typeof UserEventSchema>

/** The user id an event is about, whatever its type. */
export function eventUserId(event: UserEvent): string {
  return event.type === 'USER.DATA_CHANGE_FAILED' ? event.object.user_id : event.object.id
}

/** A delivery: several events as `{ payload: [...] }`, ordered by created_at inside it. */
export const WebhookDeliverySchema = z.object({ payload: z.array(UserEventSchema).min(1, 'must carry at least one event') })
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>

/** A receiver also accepts a single bare event. */
export const WebhookBodySchema = z.union([WebhookDeliverySchema, UserEventSchema.transform((event) => ({ payload: [event] }))])
