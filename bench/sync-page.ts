/**
 * The browser half of bench/sync.bench.ts, bundled with esbuild and served by the web host:
 * runs the real engine on the browser's IndexedDB. The simulator is reached as the browser
 * app reaches it, through the web host's handlers (the web transport, its token from the
 * address); the rate-limited simulator through functions the Node half exposes.
 */
import Dexie from 'dexie'
import { openDatabase, type OutpostDb } from '../renderer/src/db/database'
import { closingRow } from '../renderer/src/db/history'
import { enqueueCreate } from '../renderer/src/db/outbox-repository'
import type { OutboxEntry } from '../renderer/src/db/rows'
import { rowFromServerUser } from '../renderer/src/db/user-row'
import { createSyncEngine, type SyncEngine } from '../renderer/src/sync/engine'
import type { SyncTransport } from '../renderer/src/sync/transport'
import type { ApiResult } from '../shared/api-result'
import type { User } from '../shared/schemas/user'
import { createWebTransport } from '../renderer/src/transport/web-transport'
import { FakeUsersApi } from '../tests/support/sync/fake-users-api'
import { createBody } from '../tests/support/sync/fixtures'

// The Node half answers with JSON text: Playwright's structured serializer is slower.
type CallText = (input: unknown) => Promise<string>
const host = globalThis as unknown as {
  benchCreateUser: CallText
  benchGetUser: CallText
  syncBench: unknown
  location: { hash: string }
}
const webTransport = createWebTransport({ baseUrl: '', token: new URLSearchParams(host.location.hash.slice(1)).get('token') ?? '' })
const listUsers = webTransport.listUsers

/** The bits of IndexedDB the storage floor uses (the benchmarks compile without the DOM library). */
interface RawRequest<T> {
  readonly result: T
  readonly error: unknown
  onsuccess: (() => void) | null
  onerror: (() => void) | null
}
interface RawTransaction {
  objectStore(name: string): { put(value: unknown): unknown; count(): RawRequest<number> }
  readonly error: unknown
  oncomplete: (() => void) | null
  onerror: (() => void) | null
}
interface RawDatabase {
  createObjectStore(name: string, options: { keyPath: string }): unknown
  transaction(store: string, mode?: 'readwrite', options?: { durability: 'relaxed' }): RawTransaction
  close(): void
}
const rawIndexedDb = (
  globalThis as unknown as {
    indexedDB: { open(name: string, version: number): RawRequest<RawDatabase> & { onupgradeneeded: (() => void) | null } }
  }
).indexedDB

const unused = () => Promise.reject(new Error('not used by this benchmark'))

function simulatorTransport(): SyncTransport {
  return {
    listUsers,
    createUser: unused,
    getUser: unused,
    requestDataChange: unused,
    offboardUser: unused,
    confirmFeedBatch: async () => null,
  }
}

async function fresh(name: string, durability: 'strict' | 'relaxed' = 'strict') {
  await Dexie.delete(name)
  const db = openDatabase(name, durability)
  await db.open()
  return db
}

/** The reconciled database and its engine, kept for the later reconcile that reads only changes. */
let reconciled: { db: OutpostDb; engine: SyncEngine; requests: { count: number } } | null = null

/** First reconcile, end to end: paged GET /users through the host into IndexedDB. */
async function reconcile(): Promise<{ ms: number; users: number }> {
  const db = await fresh('bench-reconcile')
  const requests = { count: 0 }
  const transport = simulatorTransport()
  const counted: SyncTransport = {
    ...transport,
    listUsers: (query) => {
      requests.count += 1
      return transport.listUsers(query)
    },
  }
  const engine = createSyncEngine({ db, transport: counted, autoReconcile: false })
  const started = performance.now()
  const result = await engine.reconcile()
  const ms = performance.now() - started
  if (!result.ok) throw new Error('reconcile failed')
  const users = await db.users.count()
  reconciled = { db, engine, requests }
  return { ms, users }
}

/** The next reconcile after some users changed on the server: how many list requests it makes. */
async function incremental(): Promise<{ ms: number; requests: number; kind: string; fetched: number }> {
  if (reconciled === null) throw new Error('run reconcile first')
  const { db, engine, requests } = reconciled
  requests.count = 0
  const started = performance.now()
  const result = await engine.reconcile()
  const ms = performance.now() - started
  if (!result.ok) throw new Error('reconcile failed')
  db.close()
  reconciled = null
  return { ms, requests: requests.count, kind: result.kind, fetched: result.fetched }
}

/**
 * The storage floor: the same rows (already fetched and built) put with plain IndexedDB into
 * a store with only a primary key, 1000 per transaction, with the relaxed durability the
 * reconcile's cache writes use.
 */
async function storageFloor(): Promise<{ ms: number; users: number; fetchMs: number }> {
  const fetchStarted = performance.now()
  const all: User[] = []
  for (let offset = 0; ; offset += 1000) {
    const page = await listUsers({ sort: 'created_at', order: 'ASC', offset, limit: 1000 })
    if (!page.ok) throw new Error('list failed')
    all.push(...page.value.data)
    if (page.value.data.length < 1000) break
  }
  const fetchMs = performance.now() - fetchStarted
  const rows = all.map((u) => rowFromServerUser(u, 1, 0))
  await Dexie.delete('bench-floor')
  const idb = await new Promise<RawDatabase>((resolve, reject) => {
    const open = rawIndexedDb.open('bench-floor', 1)
    open.onupgradeneeded = () => open.result.createObjectStore('users', { keyPath: 'key' })
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error)
  })
  const started = performance.now()
  for (let i = 0; i < rows.length; i += 1000) {
    const tx = idb.transaction('users', 'readwrite', { durability: 'relaxed' })
    const store = tx.objectStore('users')
    for (const row of rows.slice(i, i + 1000)) store.put(row)
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
  }
  const ms = performance.now() - started
  const users = await new Promise<number>((resolve) => {
    const count = idb.transaction('users').objectStore('users').count()
    count.onsuccess = () => resolve(count.result)
  })
  idb.close()
  return { ms, users, fetchMs }
}

/** Drains `count` queued creates (one per user) against an API with fixed latency. */
async function drain(
  count: number,
  latencyMs: number,
  concurrency: number,
  markAhead: number,
  durability: 'strict' | 'relaxed' = 'strict',
): Promise<{ ms: number; created: number }> {
  const db = await fresh(`bench-drain-${concurrency}-${markAhead}`, durability)
  for (let i = 0; i < count; i++) await enqueueCreate(createBody(i), db)
  const api = new FakeUsersApi({ latencyMs })
  // The client-wide rate cap is lifted here: this measures how well the engine fills its lanes.
  const engine = createSyncEngine({
    db,
    transport: api.transport(),
    autoReconcile: false,
    concurrency,
    markAhead,
    ratePerSecond: Number.POSITIVE_INFINITY,
  })
  const ms = await timeDrain(engine, db)
  db.close()
  return { ms, created: api.users.size }
}

/** The bits of a raw IndexedDB read-write transaction the drain's storage floor uses. */
interface FloorRequest {
  readonly result: unknown
  onsuccess: (() => void) | null
  onerror: (() => void) | null
}
interface FloorStore {
  get(key: unknown): FloorRequest
  put(value: unknown): FloorRequest
  add(value: unknown): FloorRequest
  delete(key: unknown): FloorRequest
  index(name: string): { get(key: unknown): FloorRequest; getAll(key: unknown): FloorRequest }
}
interface FloorTransaction {
  objectStore(name: string): FloorStore
  readonly error: unknown
  oncomplete: (() => void) | null
  onerror: (() => void) | null
  onabort: (() => void) | null
}
type FloorDatabase = { transaction(stores: string[], mode: 'readwrite', options: { durability: 'strict' }): FloorTransaction }

const requested = <T>(request: FloorRequest) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result as T)
    request.onerror = () => reject(new Error('request failed'))
  })
const committed = (tx: FloorTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = tx.onabort = () => reject(tx.error instanceof Error ? tx.error : new Error('transaction failed'))
  })

/**
 * The drain's storage floor: the IndexedDB requests a drain of `count` creates makes, and
 * nothing else (no network, no engine, no Dexie), `lanes` entries per strict transaction,
 * on the app's schema: each entry's "sending" mark (read it, put it) in one transaction, then
 * its answer (read its lane and the server row, put the server row, delete the draft row and
 * the entry, add the history row) in the next. Transactions on the same stores run one after
 * another, so no drain can be faster than this, however well it fills its network slots.
 */
async function drainStorageFloor(count: number, lanes: number): Promise<{ ms: number; created: number }> {
  const db = await fresh('bench-drain-floor')
  for (let i = 0; i < count; i++) await enqueueCreate(createBody(i), db)
  const entries = await db.outbox.orderBy('seq').toArray()
  const idb = db.backendDB() as unknown as FloorDatabase
  const stores = ['users', 'outbox', 'history']
  const at = Date.now()
  const started = performance.now()
  let created = 0
  for (let i = 0; i < entries.length; i += lanes) {
    const group = entries.slice(i, i + lanes)
    const marking = idb.transaction(stores, 'readwrite', { durability: 'strict' })
    const marked = await Promise.all(
      group.map(async (entry) => {
        const outbox = marking.objectStore('outbox')
        const stored = await requested<OutboxEntry>(outbox.index('id').get(entry.id))
        const next: OutboxEntry = { ...stored, state: 'sending', attempts: stored.attempts + 1, firstSentAt: at, updatedAt: at }
        await requested(outbox.put(next))
        return next
      }),
    )
    await committed(marking)
    const answering = idb.transaction(stores, 'readwrite', { durability: 'strict' })
    await Promise.all(
      marked.map(async (entry) => {
        if (entry.kind !== 'create') throw new Error('the floor drains creates only')
        const outbox = answering.objectStore('outbox')
        const users = answering.objectStore('users')
        const id = `00000000-0000-4000-8000-${(++created).toString(16).padStart(12, '0')}`
        const stamp = new Date(at).toISOString()
        const user = {
          ...entry.payload.body,
          id,
          created_at: stamp,
          updated_at: stamp,
          status: 'ACTIVE',
          postal_address: entry.payload.body.address,
        } as User
        await Promise.all([requested(outbox.index('userKey').getAll(entry.userKey)), requested(users.get(id))])
        await Promise.all([
          requested(users.put(rowFromServerUser(user, 0, at))),
          requested(users.delete(entry.userKey)),
          requested(outbox.delete(entry.seq)),
          requested(answering.objectStore('history').add({ ...closingRow(entry, 'applied', at, `created as ${id}`), rekeyedTo: id })),
        ])
      }),
    )
    await committed(answering)
  }
  const ms = performance.now() - started
  const left = await db.outbox.count()
  db.close()
  return { ms, created: count - left }
}

/** The rate-limited simulator's create and read, through the Node half (as main's handlers call the API). */
function limitedSimulatorTransport(): SyncTransport {
  return {
    listUsers: unused,
    createUser: async (input) => JSON.parse(await host.benchCreateUser(input)) as ApiResult<User>,
    getUser: async (input) => JSON.parse(await host.benchGetUser(input)) as ApiResult<User>,
    requestDataChange: unused,
    offboardUser: unused,
    confirmFeedBatch: async () => null,
  }
}

/**
 * Drains `count` queued creates against the real simulator (its rate limit set by the Node
 * half). `ratePerSecond` null: the engine's default client-wide cap, as the app runs.
 */
async function drainSimulator(count: number, ratePerSecond: number | null): Promise<{ ms: number; left: number }> {
  const db = await fresh(`bench-drain-simulator-${ratePerSecond ?? 'default'}`)
  for (let i = 0; i < count; i++) await enqueueCreate(createBody(i), db)
  const engine = createSyncEngine({
    db,
    transport: limitedSimulatorTransport(),
    autoReconcile: false,
    ...(ratePerSecond === null ? {} : { ratePerSecond }),
  })
  const ms = await timeDrain(engine, db)
  const left = await db.outbox.count()
  db.close()
  return { ms, left }
}

host.syncBench = { reconcile, incremental, storageFloor, drain, drainStorageFloor, drainSimulator }

/**
 * Starts `engine` and times it until nothing is in flight and the outbox is empty (checked
 * only when the engine goes quiet), then stops it.
 */
async function timeDrain(engine: SyncEngine, db: OutpostDb): Promise<number> {
  const started = performance.now()
  const drained = new Promise<void>((resolve) => {
    engine.subscribe((snap) => {
      if (snap.inFlight === 0) void db.outbox.count().then((left) => left === 0 && resolve())
    })
  })
  engine.start()
  await drained
  const ms = performance.now() - started
  await engine.stop()
  return ms
}
