// One database per API target: names, the registry, adopting the first version's database.
import 'fake-indexeddb/auto'
import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { databaseNameFor, DatabaseNameSchema, sameTarget } from '../../../../shared/api-target'
import { openDatabase, SCHEMA_V1 } from '../../../../renderer/src/db/database'
import { enqueueCreate } from '../../../../renderer/src/db/outbox-repository'
import { createTargetDatabases } from '../../../../renderer/src/db/target-databases'
import { createBody, emailChange } from '../../../support/sync/fixtures'

const CLIENT = '11111111-1111-4111-8111-111111111111'
const SANDBOX = { apiBaseUrl: 'https://sandbox.example.com/v1', clientId: CLIENT }
const PRODUCTION = { apiBaseUrl: 'https://api.example.com/v1', clientId: CLIENT }

let counter = 0
/** Each test its own registry and its own "first version" and "unconfigured" database names. */
function isolated(legacyJournalHasEntries?: () => Promise<boolean>) {
  counter += 1
  const suffix = `${counter}x${Math.random().toString(36).slice(2, 8)}`
  const names = {
    registryName: `registry-${suffix}`,
    legacyName: `outpost-legacy${suffix}`,
    unconfiguredName: `outpost-unconfigured${suffix}`,
  }
  return { names, targets: createTargetDatabases({ ...names, ...(legacyJournalHasEntries ? { legacyJournalHasEntries } : {}) }) }
}

describe('database names per API target', () => {
  it('are stable, readable and safe, and differ per address and per client id', () => {
    const name = databaseNameFor(SANDBOX)
    expect(name).toMatch(/^outpost-sandbox-example-com-[a-z0-9]+$/)
    expect(DatabaseNameSchema.safeParse(name).success).toBe(true)
    expect(databaseNameFor({ apiBaseUrl: 'HTTPS://Sandbox.example.com/v1/', clientId: CLIENT.toUpperCase() })).toBe(name)
    expect(databaseNameFor(PRODUCTION)).not.toBe(name)
    expect(databaseNameFor({ ...SANDBOX, apiBaseUrl: 'https://sandbox.example.com/v2' })).not.toBe(name)
    expect(databaseNameFor({ ...SANDBOX, apiBaseUrl: 'https://sandbox.example.com:8443/v1' })).not.toBe(name)
    expect(databaseNameFor({ ...SANDBOX, clientId: '22222222-2222-4222-8222-222222222222' })).not.toBe(name)
    expect(sameTarget(SANDBOX, { apiBaseUrl: 'https://sandbox.example.com/v1/', clientId: CLIENT })).toBe(true)
    expect(sameTarget(SANDBOX, PRODUCTION)).toBe(false)
  })
})

describe('target databases', () => {
  it('gives a new install one database per target, and the same one when a target comes back', async () => {
    const { targets } = isolated()
    const sandbox = await targets.resolve(SANDBOX)
    const production = await targets.resolve(PRODUCTION)
    expect(sandbox).toBe(databaseNameFor(SANDBOX))
    expect(production).toBe(databaseNameFor(PRODUCTION))
    expect(await targets.resolve({ ...SANDBOX, apiBaseUrl: 'https://sandbox.example.com/v1/' })).toBe(sandbox)
    targets.close()
  })

  it('an upgrade adopts the first version database, unsent entries included, for the target configured then', async () => {
    const { names, targets } = isolated()
    // Written as the first version did: its schema, its row shapes.
    const old = new Dexie(names.legacyName)
    old.version(1).stores(SCHEMA_V1)
    await old.open()
    const base = { state: 'queued', attempts: 0, nextAttemptAt: 0, lastError: null, createdAt: 1, updatedAt: 1 }
    await old.table('users').add({
      key: 'local-1',
      serverId: null,
      user: null,
      draft: createBody(1),
      name: 'schmidt1 anna1',
      status: 'CREATING',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      city: 'berlin',
    })
    await old.table('outbox').bulkAdd([
      { ...base, id: 'e1', userKey: 'local-1', idempotencyKey: 'k1', kind: 'create', payload: { body: createBody(1) } },
      { ...base, id: 'e2', userKey: 'local-1', idempotencyKey: 'k2', kind: 'dataChange', payload: { change: emailChange('a@b.de') } },
    ])
    old.close()

    expect(await targets.resolve(SANDBOX)).toBe(names.legacyName)
    const db = openDatabase(names.legacyName)
    expect((await db.outbox.orderBy('seq').toArray()).map((e) => [e.id, e.kind, e.state])).toEqual([
      ['e1', 'create', 'queued'],
      ['e2', 'dataChange', 'queued'],
    ])
    expect(await db.users.get('local-1')).toMatchObject({ status: 'CREATING' })
    db.close()
    // Another target never gets the adopted database; the adopting one keeps it.
    expect(await targets.resolve(PRODUCTION)).toBe(databaseNameFor(PRODUCTION))
    expect(await targets.resolve(SANDBOX)).toBe(names.legacyName)
    // The entries are waiting for the sandbox, and that is what another target is told.
    expect(await targets.unsentElsewhere(databaseNameFor(PRODUCTION))).toEqual([
      { name: names.legacyName, apiBaseUrl: SANDBOX.apiBaseUrl, clientId: CLIENT, count: 2 },
    ])
    targets.close()
  })

  it('adopts the first version database when only its journal is left (an update lost the database)', async () => {
    const { names, targets } = isolated(async () => true)
    expect(await targets.resolve(PRODUCTION)).toBe(names.legacyName)
    targets.close()
  })

  it('lets the first target configured take over what was queued before any target was set', async () => {
    const { names, targets } = isolated()
    expect(await targets.resolve(null)).toBe(names.unconfiguredName)
    const db = openDatabase(names.unconfiguredName)
    await enqueueCreate(createBody(7), db)
    db.close()
    const plan = await targets.plan(SANDBOX)
    expect(plan).toEqual({ name: names.unconfiguredName, adopts: true, bound: false })
    await targets.bind(SANDBOX, plan.name)
    // Taken: the next target gets a database of its own and is told about the sandbox's entry.
    expect(await targets.resolve(PRODUCTION)).toBe(databaseNameFor(PRODUCTION))
    expect(await targets.unsentElsewhere(databaseNameFor(PRODUCTION))).toMatchObject([{ apiBaseUrl: SANDBOX.apiBaseUrl, count: 1 }])
    targets.close()
  })

  it('keeps each target outbox apart when switching there and back', async () => {
    const { targets } = isolated()
    const sandboxDb = openDatabase(await targets.resolve(SANDBOX))
    await enqueueCreate(createBody(41), sandboxDb)
    sandboxDb.close()
    const productionDb = openDatabase(await targets.resolve(PRODUCTION))
    expect(await productionDb.outbox.count()).toBe(0)
    expect(await targets.unsentElsewhere(productionDb.name)).toMatchObject([{ apiBaseUrl: SANDBOX.apiBaseUrl, count: 1 }])
    productionDb.close()
    const back = openDatabase(await targets.resolve(SANDBOX))
    expect((await back.outbox.toArray()).map((e) => e.kind === 'create' && e.payload.body.first_name)).toEqual(['Anna41'])
    expect(await targets.unsentElsewhere(back.name)).toEqual([])
    back.close()
    targets.close()
  })
})
