/** The sentence an entry's error shows: the server's own text is said to be the server's; the app's own is a reason. */
import { describe, expect, it } from 'vitest'
import { entryReason } from '../../../../renderer/src/components/outbox/entry-reason'

const format = { date: (iso: string) => iso.slice(0, 10), status: (status: string) => status }

describe('entry reason', () => {
  it('labels text from the server’s answer as the server’s, shown as written', () => {
    const error = { kind: 'transient', message: 'Service Unavailable: simulated server error', status: 503, fieldErrors: [] }
    expect(entryReason(error, format)).toEqual({
      key: 'outbox.reasons.serverSaid',
      values: { text: 'Service Unavailable: simulated server error' },
    })
    const refused = { kind: 'validation', message: 'the document does not match the passport', status: 422, fieldErrors: [] }
    expect(entryReason(refused, format).key).toBe('outbox.reasons.serverSaid')
  })

  it('gives the app’s own text (no answer came) as the reason, never as the server’s', () => {
    const error = { kind: 'transient', message: 'connect ECONNREFUSED 127.0.0.1:4010', fieldErrors: [] }
    expect(entryReason(error, format)).toEqual({ key: 'detail.reason', values: { reason: 'connect ECONNREFUSED 127.0.0.1:4010' } })
  })

  it('says the engine’s known reasons in the person’s language', () => {
    const error = {
      kind: 'not_active',
      message: 'x',
      userStatus: 'OFFBOARDED' as const,
      changedAt: '2026-11-30T10:00:00Z',
      fieldErrors: [],
    }
    expect(entryReason(error, format)).toEqual({ key: 'outbox.reasons.notActive', values: { status: 'OFFBOARDED', when: '2026-11-30' } })
  })
})
