import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { discardEntry, editAndResend, enqueueCreate, enqueueDataChange, retryEntry } from '../../../../renderer/src/db/outbox-repository'
import { canApply, OUTBOX_TRANSITIONS, type TransitionName } from '../../../../renderer/src/db/outbox-state-machine'
import {
  commitAccepted,
  commitDone,
  commitPark,
  commitRetry,
  markSending,
} from '../../../../renderer/src/db/outbox-steps'
import { OUTBOX_STATES, type OutboxState } from '../../../../renderer/src/db/rows'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { createBody, emailChange, freshDb, serverUser } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('state-machine')
})
afterEach(() => db.close())

const ERROR = { kind: 'transient', message: 'down', fieldErrors: [] }

/** A data change for a cached user, forced into `state`. */
async function entryIn(state: OutboxState): Promise<string> {
  const user = serverUser()
  await db.users.put(rowFromServerUser(user, 0, 0))
  const { entryId } = await enqueueDataChange(user.id, emailChange('new@example.com'), db)
  const entry = (await db.outbox.where('id').equals(entryId).first())!
  await db.outbox.put({ ...entry, state })
  return entryId
}

const stateOf = async (entryId: string) => (await db.outbox.where('id').equals(entryId).first())?.state ?? 'gone'

describe('outbox state machine', () => {
  it('names where every transition starts and leads', () => {
    const table = Object.fromEntries(
      Object.entries(OUTBOX_TRANSITIONS).map(([name, t]) => [name, `${[...t.from].join('|')} -> ${t.to ?? 'gone'}`]),
    )
    expect(table).toEqual({
      send: 'queued|sending|awaiting -> sending',
      created: 'queued|sending|awaiting|parked -> gone',
      accept: 'sending -> awaiting',
      finish: 'sending|awaiting -> gone',
      retryLater: 'queued|sending|awaiting -> queued',
      park: 'sending -> parked',
      parkAwaiting: 'awaiting -> parked',
      settledByReadBack: 'queued|sending|awaiting -> gone',
      parkedByReadBack: 'queued|sending|awaiting -> parked',
      parkedByEvent: 'queued|sending|awaiting -> parked',
      failedByEvent: 'sending|awaiting -> parked',
      appliedByEvent: 'sending|awaiting -> gone',
      retryByPerson: 'parked -> queued',
      sendAnywayByPerson: 'parked -> queued',
      editByPerson: 'queued|parked -> queued',
      discardByPerson: 'queued|parked -> gone',
      cancelLocally: 'queued|sending|awaiting|parked -> gone',
    })
  })

  it('the person may act on parked entries, and edit or withdraw queued ones, never one on its way; the engine never touches a parked one', () => {
    for (const state of OUTBOX_STATES) {
      for (const name of ['retryByPerson', 'sendAnywayByPerson'] as TransitionName[]) expect(canApply(name, state)).toBe(state === 'parked')
      for (const name of ['editByPerson', 'discardByPerson'] as TransitionName[]) expect(canApply(name, state)).toBe(state === 'parked' || state === 'queued')
      for (const name of ['send', 'accept', 'finish', 'retryLater', 'park', 'settledByReadBack', 'parkedByReadBack', 'parkedByEvent'] as TransitionName[]) {
        if (state === 'parked') expect(canApply(name, state), name).toBe(false)
      }
    }
  })

  it('an engine step from a state it does not start from changes nothing (a late answer never undoes a decision)', async () => {
    const parked = await entryIn('parked')
    await commitAccepted(db, parked, 10, 'late 202')
    await commitDone(db, parked, 11, 'late done')
    await commitRetry(db, parked, 12, 99, ERROR)
    expect(await markSending(db, parked, 14)).toBeUndefined()
    expect(await stateOf(parked)).toBe('parked')
    expect((await db.history.where('entryId').equals(parked).toArray()).map((h) => h.step)).toEqual(['queued'])

    const queued = await entryIn('queued')
    await commitAccepted(db, queued, 10, 'accepted before sent?')
    await commitPark(db, queued, 11, ERROR)
    expect(await stateOf(queued)).toBe('queued')
  })

  it('walks a data change through send, accept, read-back and finish', async () => {
    const id = await entryIn('queued')
    expect((await markSending(db, id, 1))?.state).toBe('sending')
    await commitAccepted(db, id, 2, '202')
    expect(await stateOf(id)).toBe('awaiting')
    await commitRetry(db, id, 4, 100, ERROR)
    // An awaiting change keeps waiting for its event through a failed read-back.
    expect(await stateOf(id)).toBe('awaiting')
    await commitPark(db, id, 5, ERROR)
    expect(await stateOf(id)).toBe('awaiting')
    await commitPark(db, id, 5, ERROR, 'parkAwaiting')
    expect(await stateOf(id)).toBe('parked')
  })

  it("refuses the person's actions on an entry on its way, with words the person can read", async () => {
    const { entryId } = await enqueueCreate(createBody(1), db)
    await expect(retryEntry(entryId, db)).rejects.toThrow('only a failed entry can be retried')
    await markSending(db, entryId, 5)
    await expect(editAndResend(entryId, { body: createBody(2) }, db)).rejects.toThrow('on its way to the server and cannot be changed now')
    await expect(discardEntry(entryId, 'no', db)).rejects.toThrow('on its way to the server and cannot be withdrawn now')
    expect(await stateOf(entryId)).toBe('sending')
    // Back in the queue after a lost answer: it may have arrived, so it still cannot be changed.
    await commitRetry(db, entryId, 6, 7, ERROR)
    expect(await stateOf(entryId)).toBe('queued')
    await expect(discardEntry(entryId, 'no', db)).rejects.toThrow('cannot be withdrawn now')
  })

  it('a queued entry not sent yet can be edited and withdrawn', async () => {
    const { entryId, userKey } = await enqueueCreate(createBody(1), db)
    await editAndResend(entryId, { body: createBody(2) }, db)
    expect((await db.users.get(userKey))?.name).toBe('schmidt2 anna2')
    await discardEntry(entryId, 'withdrawn by the user', db)
    expect(await db.outbox.count()).toBe(0)
    expect(await db.users.get(userKey)).toBeUndefined()
    expect((await db.history.where('entryId').equals(entryId).toArray()).map((h) => h.step)).toEqual(['queued', 'edited', 'discarded'])
  })
})
