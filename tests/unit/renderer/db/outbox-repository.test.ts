import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import {
  discardEntry,
  editAndResend,
  enqueueCreate,
  enqueueDataChange,
  enqueueOffboard,
  retryEntry,
} from '../../../../renderer/src/db/outbox-repository'
import { getUserHistory } from '../../../../renderer/src/db/queries'
import { createBody, emailChange, freshDb } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('repo')
})
afterEach(() => db.close())

async function park(entryId: string) {
  const entry = await db.outbox.where('id').equals(entryId).first()
  await db.outbox.put({
    ...entry!,
    state: 'parked',
    firstSentAt: 1,
    lastError: { kind: 'validation', message: 'bad', fieldErrors: [{ field: 'x', message: 'y' }] },
  })
}

describe('outbox repository', () => {
  it('writes the user row and its entry in one transaction, with a fresh idempotency key each', async () => {
    const a = await enqueueCreate(createBody(1), db)
    const b = await enqueueCreate(createBody(2), db)
    const entries = await db.outbox.toArray()
    expect(entries).toHaveLength(2)
    expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(2)
    expect(await db.users.get(a.userKey)).toMatchObject({ status: 'CREATING', serverId: null })
    expect(a.userKey).toMatch(/^local-/)
    expect(b.userKey).not.toBe(a.userKey)
  })

  it('writes nothing when the transaction fails (unknown user)', async () => {
    await expect(enqueueDataChange('no-such-user', emailChange('a@b.de'), db)).rejects.toThrow(/unknown user/)
    expect(await db.outbox.count()).toBe(0)
    expect(await db.history.count()).toBe(0)
  })

  it('offboarding a never-sent user cancels it locally', async () => {
    const { userKey } = await enqueueCreate(createBody(1), db)
    await enqueueDataChange(userKey, emailChange('a@b.de'), db)
    const result = await enqueueOffboard(userKey, db)
    expect(result).toEqual({ entryId: null, cancelledLocally: true })
    expect(await db.outbox.count()).toBe(0)
    expect(await db.users.get(userKey)).toBeUndefined()
    expect((await getUserHistory(userKey, db)).map((h) => h.step)).toEqual(['queued', 'queued', 'cancelled', 'cancelled'])
  })

  it('offboarding a user whose create was sent queues behind it', async () => {
    const { userKey, entryId } = await enqueueCreate(createBody(1), db)
    const entry = await db.outbox.where('id').equals(entryId).first()
    await db.outbox.put({ ...entry!, state: 'sending', firstSentAt: 1 })
    const result = await enqueueOffboard(userKey, db)
    expect(result.cancelledLocally).toBe(false)
    expect((await db.outbox.orderBy('seq').toArray()).map((e) => e.kind)).toEqual(['create', 'offboard'])
  })

  it('retries, edits and discards only parked entries', async () => {
    const { userKey, entryId } = await enqueueCreate(createBody(1), db)
    await expect(retryEntry(entryId, db)).rejects.toThrow(/only a failed entry/)
    await park(entryId)
    await retryEntry(entryId, db)
    expect((await db.outbox.where('id').equals(entryId).first())?.state).toBe('queued')

    await park(entryId)
    const before = (await db.outbox.where('id').equals(entryId).first())!.idempotencyKey
    await editAndResend(entryId, { body: createBody(1, { first_name: 'Edited' }) }, db)
    const edited = (await db.outbox.where('id').equals(entryId).first())!
    expect(edited).toMatchObject({ state: 'queued', lastError: null, firstSentAt: null })
    expect(edited.idempotencyKey).not.toBe(before)
    expect((await db.users.get(userKey))?.name).toBe('schmidt1 edited')

    await enqueueDataChange(userKey, emailChange('a@b.de'), db)
    await park(entryId)
    await discardEntry(entryId, 'wrong person', db)
    expect(await db.outbox.count()).toBe(0)
    expect(await db.users.get(userKey)).toBeUndefined()
    const steps = (await getUserHistory(userKey, db)).map((h) => `${h.step}:${h.detail}`)
    expect(steps).toContain('discarded:wrong person')
    expect(steps).toContain('discarded:its user was never created')
  })

  it('keeps the idempotency key (and the user) when a parked create may have reached the server', async () => {
    const { userKey, entryId } = await enqueueCreate(createBody(1), db)
    const entry = (await db.outbox.where('id').equals(entryId).first())!
    await db.outbox.put({
      ...entry,
      state: 'parked',
      firstSentAt: 1,
      lastError: { kind: 'invalid_response', message: 'unreadable answer', fieldErrors: [] },
    })
    await editAndResend(entryId, { body: createBody(1, { first_name: 'Fixed' }) }, db)
    expect((await db.outbox.where('id').equals(entryId).first())?.idempotencyKey).toBe(entry.idempotencyKey)

    const again = (await db.outbox.where('id').equals(entryId).first())!
    await db.outbox.put({
      ...again,
      state: 'parked',
      lastError: { kind: 'invalid_response', message: 'unreadable answer', fieldErrors: [] },
    })
    expect((await enqueueOffboard(userKey, db)).cancelledLocally).toBe(false)
  })
})
