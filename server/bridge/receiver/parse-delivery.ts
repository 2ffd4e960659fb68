/**
 * Turns verified raw bytes into the events to store: JSON first (malformed -> 400), then
 * every event against the shared schema (invalid -> 422 naming the field). A delivery is
 * `{ payload: [...] }` or one bare event. Each event is kept as its exact JSON text.
 */
import { safeParseUnknown, type FieldIssue } from '../../../shared/parse'
import { UserEventSchema, WebhookDeliverySchema } from '../../../shared/schemas'
import type { IncomingEvent } from '../storage/event-store'

export type ParsedDelivery =
  | { readonly kind: 'ok'; readonly events: readonly IncomingEvent[] }
  /** `GET /webhooks/{id}/test`: acknowledged so the check passes, never stored or served. */
  | { readonly kind: 'test'; readonly events: number }
  | { readonly kind: 'malformed'; readonly detail: string }
  | { readonly kind: 'invalid'; readonly issues: readonly FieldIssue[] }

export const TEST_EVENT_TYPE = 'WEBHOOK.TEST'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

export function parseDelivery(body: Buffer): ParsedDelivery {
  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch (error) {
    return { kind: 'malformed', detail: `body is not JSON: ${error instanceof Error ? error.message : String(error)}` }
  }
  if (!isRecord(json)) return { kind: 'malformed', detail: 'body must be a JSON object: a delivery { payload: [...] } or one event' }

  // Validate against the shape the body claims, so issues name the real field (payload.3.object.status).
  if (Array.isArray(json.payload) && json.payload.length > 0 && json.payload.every((e) => isRecord(e) && e.type === TEST_EVENT_TYPE)) {
    return { kind: 'test', events: json.payload.length }
  }
  if ('payload' in json) {
    const checked = safeParseUnknown(WebhookDeliverySchema, json as unknown)
    if (!checked.ok) return { kind: 'invalid', issues: checked.issues }
    const raw = Array.isArray(json.payload) ? json.payload : []
    return { kind: 'ok', events: checked.value.payload.map((event, index) => ({ id: event.id, json: JSON.stringify(raw[index]) })) }
  }
  const checked = safeParseUnknown(UserEventSchema, json as unknown)
  if (!checked.ok) return { kind: 'invalid', issues: checked.issues }
  return { kind: 'ok', events: [{ id: checked.value.id, json: JSON.stringify(json) }] }
}
