import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateDemoUsers } from '../../../../server/sandbox/demo-users'
import { parseDelivery } from '../../../../server/bridge/receiver/parse-delivery'

const [user] = generateDemoUsers(1, 3)
const event = (extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  created_at: '2026-01-01T00:00:00.000000Z',
  type: 'USER.CREATED',
  object: user,
  webhook_id: randomUUID(),
  ...extra,
})
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))

describe('parseDelivery', () => {
  it('takes a delivery and keeps each event’s exact JSON, unknown fields included', () => {
    const a = event({ future_field: 1 })
    const b = event()
    const parsed = parseDelivery(bytes({ payload: [a, b] }))
    expect(parsed).toEqual({
      kind: 'ok',
      events: [
        { id: a.id, json: JSON.stringify(a) },
        { id: b.id, json: JSON.stringify(b) },
      ],
    })
  })

  it('takes one bare event', () => {
    const a = event()
    expect(parseDelivery(bytes(a))).toEqual({ kind: 'ok', events: [{ id: a.id, json: JSON.stringify(a) }] })
  })

  it.each(['', '{', 'null', '[1,2]', '"text"', '\u0000'])('calls %j malformed', (body) => {
    expect(parseDelivery(bytes(body)).kind).toBe('malformed')
  })

  it('names the field of an invalid event inside a delivery', () => {
    const parsed = parseDelivery(bytes({ payload: [event(), event({ created_at: 'yesterday' })] }))
    expect(parsed.kind).toBe('invalid')
    if (parsed.kind === 'invalid') expect(parsed.issues.map((i) => i.path)).toContain('payload.1.created_at')
  })

  it('rejects an empty delivery and an unknown event type', () => {
    expect(parseDelivery(bytes({ payload: [] })).kind).toBe('invalid')
    expect(parseDelivery(bytes(event({ type: 'USER.TELEPORTED' }))).kind).toBe('invalid')
  })
})

describe('parseDelivery: subscription test pings', () => {
  it('recognises a delivery of test events only', () => {
    expect(parseDelivery(bytes({ payload: [event({ type: 'WEBHOOK.TEST', object: { message: 'test delivery' } })] }))).toEqual({
      kind: 'test',
      events: 1,
    })
  })

  it('does not let a test event smuggle others past validation', () => {
    expect(parseDelivery(bytes({ payload: [event({ type: 'WEBHOOK.TEST' }), event({ type: 'USER.TELEPORTED' })] })).kind).toBe('invalid')
  })
})
