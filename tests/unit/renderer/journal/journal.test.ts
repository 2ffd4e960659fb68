// The renderer's journal round trip on fake-indexeddb: entries queued through the repository,
// collected, sent through the IPC contract's schemas, the database wiped, and restored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type OutpostDb } from '../../../../renderer/src/db/database'
import { journalEntriesFrom, restoreFromJournal } from '../../../../renderer/src/db/journal'
import { enqueueCreate, enqueueDataChange, enqueueOffboard } from '../../../../renderer/src/db/outbox-repository'
import { rowFromServerUser } from '../../../../renderer/src/db/user-row'
import { ipcContract } from '../../../../shared/ipc/contract'
import type { JournalEntry } from '../../../../shared/ipc/journal'
import { parseUnknown } from '../../../../shared/parse'
import { createBody, emailChange, freshDb, serverUser } from '../../../support/sync/fixtures'

let db: OutpostDb
beforeEach(() => {
  db = freshDb('journal')
})
afterEach(async () => {
  db.close()
  await db.delete()
})

/** Queues work for a local user (create + change) and a server user (change + offboard). */
async function queueWork(): Promise<{ localKey: string; serverKey: string }> {
  const user = serverUser()
  await db.users.add(rowFromServerUser(user, 0, 0))
  const { userKey } = await enqueueCreate(createBody(1), db)
  await enqueueDataChange(user.id, emailChange('max@example.de'), db)
  await enqueueDataChange(userKey, emailChange('anna@example.de'), db)
  await enqueueOffboard(user.id, db)
  return { localKey: userKey, serverKey: user.id }
}

/** The journal as main hands it back: written and read through the IPC contract's schemas. */
async function throughMain(entries: readonly JournalEntry[]): Promise<JournalEntry[]> {
  const written = parseUnknown(
    ipcContract.writeJournal.input,
    JSON.parse(JSON.stringify({ database: 'outpost', entries })) as unknown,
    'writeJournal',
  )
  return parseUnknown(ipcContract.readJournal.output, JSON.parse(JSON.stringify(written)) as unknown, 'readJournal').entries
}

/** Deletes the database (as an update or downgrade that lost it) and opens an empty one of the same name. */
async function wipe(): Promise<void> {
  const name = db.name
  db.close()
  await db.delete()
  db = openDatabase(name)
  await db.open()
}

const queue = async () => (await db.outbox.orderBy('seq').toArray()).map((e) => ({ id: e.id, key: e.idempotencyKey, kind: e.kind }))

describe('outbox journal', () => {
  it('restores every unsent entry in queue order, with its idempotency key and the local user row', async () => {
    const { localKey, serverKey } = await queueWork()
    const before = await queue()
    const localRow = await db.users.get(localKey)
    const journal = await throughMain(await journalEntriesFrom(db))
    expect(journal.map((e) => e.id)).toEqual(before.map((e) => e.id))
    // Only a user that exists nowhere but here travels with its entries.
    expect(journal.filter((e) => e.userRow !== undefined).map((e) => e.userKey)).toEqual([localKey, localKey])

    await wipe()
    expect(await db.outbox.count()).toBe(0)
    const result = await restoreFromJournal(db, journal)

    expect(result).toEqual({ restored: 4, unreadable: [] })
    expect(await queue()).toEqual(before)
    expect(await db.users.get(localKey)).toEqual(localRow)
    expect(await db.users.get(serverKey)).toBeUndefined()
    const restoredEntry = await db.outbox.where('id').equals(before[0]!.id).first()
    expect(restoredEntry).toMatchObject({ kind: 'create', state: 'queued', payload: { body: createBody(1) } })
  })

  it('does not duplicate entries the outbox still holds', async () => {
    await queueWork()
    const before = await queue()
    const journal = await throughMain(await journalEntriesFrom(db))

    expect(await restoreFromJournal(db, journal)).toEqual({ restored: 0, unreadable: [] })
    await wipe()
    expect((await restoreFromJournal(db, journal)).restored).toBe(4)
    // Restoring again (the next start reads the same journal) changes nothing.
    expect((await restoreFromJournal(db, journal)).restored).toBe(0)
    expect(await queue()).toEqual(before)
  })

  it('does not restore an entry the history shows finished after the journal was written', async () => {
    await queueWork()
    const before = await queue()
    const journal = await throughMain(await journalEntriesFrom(db))
    const finished = journal[1]!

    await wipe()
    await db.history.add({ entryId: finished.id, userKey: finished.userKey, kind: finished.kind, step: 'applied', at: 1, detail: '' })
    expect((await restoreFromJournal(db, journal)).restored).toBe(3)
    expect(await queue()).toEqual(before.filter((e) => e.id !== finished.id))
  })

  it('reports a journal entry that no longer parses instead of dropping it silently', async () => {
    await queueWork()
    const journal = await throughMain(await journalEntriesFrom(db))
    const broken: JournalEntry = { ...journal[2]!, entry: { ...(journal[2]!.entry as object), payload: { change: 'not a change' } } }

    await wipe()
    const result = await restoreFromJournal(db, [journal[0]!, journal[1]!, broken, journal[3]!])

    expect(result.restored).toBe(3)
    expect(result.unreadable).toEqual([{ entry: broken, reason: expect.stringContaining('payload') }])
    expect((await queue()).map((e) => e.id)).toEqual([journal[0]!.id, journal[1]!.id, journal[3]!.id])
  })
})
