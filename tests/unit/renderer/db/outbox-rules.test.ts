import { describe, expect, it } from 'vitest'
import { badgeOf, badgesByUser, isEditable, neverReachedServer, offeredActions, pendingOverlay } from '../../../../renderer/src/db/outbox-rules'
import type { OutboxEntry } from '../../../../renderer/src/db/rows'
import { rowFromDraft, rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { createBody, emailChange, nameChange, outboxEntry, serverUser } from '../../../support/sync/fixtures'

const entry = (fields: Pick<OutboxEntry, 'kind' | 'payload'> & Record<string, unknown>): OutboxEntry => outboxEntry('u1', { id: `e-${Math.random()}`, ...fields })

const create = (fields: Record<string, unknown> = {}) =>
  entry({ kind: 'create', payload: { body: createBody(1) }, userKey: 'local-1', ...fields })
const validation = { kind: 'validation', message: 'bad', fieldErrors: [] }

describe('outbox rules', () => {
  it('badge: parked entries are failed, every other entry pending', () => {
    expect(badgeOf([])).toEqual({ pending: 0, failed: 0 })
    expect(badgeOf([{ state: 'queued' }, { state: 'sending' }, { state: 'awaiting' }, { state: 'parked' }])).toEqual({
      pending: 3,
      failed: 1,
    })
    const byUser = badgesByUser([
      { userKey: 'a', state: 'parked' },
      { userKey: 'b', state: 'queued' },
      { userKey: 'a', state: 'queued' },
    ])
    expect(Object.fromEntries(byUser)).toEqual({ a: { pending: 1, failed: 1 }, b: { pending: 1, failed: 0 } })
  })

  it('never reached the server: a local user whose create was never sent or was refused as invalid', () => {
    expect(neverReachedServer('local-1', [create()])).toBe(true)
    expect(neverReachedServer('local-1', [create({ firstSentAt: 5, state: 'parked', lastError: validation })])).toBe(true)
    // Sent and failed otherwise, or still in the air: the server may have created it.
    expect(
      neverReachedServer('local-1', [create({ firstSentAt: 5, state: 'parked', lastError: { ...validation, kind: 'transient' } })]),
    ).toBe(false)
    expect(neverReachedServer('local-1', [create({ firstSentAt: 5, state: 'sending' })])).toBe(false)
    // A server user, or no create at all.
    expect(neverReachedServer('srv-1', [create({ userKey: 'srv-1' })])).toBe(false)
    expect(neverReachedServer('local-1', [])).toBe(false)
  })

  it('overlay: pending values laid over server truth, the latest entry wins, proof fields never shown', () => {
    const user = serverUser({ email: 'old@example.com' })
    const row = rowFromServerUser(user, 0, 0)
    const first = entry({ kind: 'dataChange', payload: { change: emailChange('first@example.com') }, state: 'awaiting' })
    const second = entry({ kind: 'dataChange', payload: { change: emailChange('second@example.com') } })
    const name = entry({ kind: 'dataChange', payload: { change: nameChange('Eva', 'Neu') } })
    const overlay = pendingOverlay(row, [first, second, name, entry({ kind: 'offboard', payload: {} })])
    expect(overlay.base.email).toBe('old@example.com')
    expect(overlay.view).toMatchObject({ email: 'second@example.com', first_name: 'Eva', last_name: 'Neu', status: 'OFFBOARDING' })
    expect(overlay.pendingFields.email).toEqual({ value: 'second@example.com', entryId: second.id, state: 'queued' })
    expect(Object.keys(overlay.pendingFields).sort()).toEqual(['email', 'first_name', 'last_name', 'status'])
  })

  it('overlay: a local draft keeps the status CREATING', () => {
    const row = rowFromDraft('local-1', createBody(1), 0)
    const overlay = pendingOverlay(row, [create()])
    expect(overlay.view.status).toBe('CREATING')
    expect(overlay.view.first_name).toBe('Anna1')
  })

  it('a parked create or data change can be edited; an offboarding or an entry on its way cannot', () => {
    expect(isEditable({ kind: 'create', state: 'parked' })).toBe(true)
    expect(isEditable({ kind: 'dataChange', state: 'parked' })).toBe(true)
    expect(isEditable({ kind: 'offboard', state: 'parked' })).toBe(false)
    expect(isEditable({ kind: 'dataChange', state: 'queued' })).toBe(false)
  })
})

describe('offered actions', () => {
  it('offers a data change only for an ACTIVE user, offboarding for an ACTIVE, INACTIVE or local one, once', () => {
    expect(offeredActions('ACTIVE', [])).toEqual({ change: true, offboard: true })
    expect(offeredActions('INACTIVE', [])).toEqual({ change: false, offboard: true })
    expect(offeredActions('OFFBOARDING', [])).toEqual({ change: false, offboard: false })
    expect(offeredActions('OFFBOARDED', [])).toEqual({ change: false, offboard: false })
    // A local draft: no change until the server has the user; offboarding cancels it locally.
    expect(offeredActions('CREATING', [])).toEqual({ change: false, offboard: true })
    expect(offeredActions('ACTIVE', [{ kind: 'offboard' }])).toEqual({ change: true, offboard: false })
  })
})
