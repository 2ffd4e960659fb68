/**
 * One database per API target. A small registry database remembers which database holds which
 * target's work, so a database is only ever opened (and its outbox only ever drained) for the
 * target it was written for. The database from before this existed ('outpost'), and the one
 * used while nothing was configured, are adopted by the first target configured: an upgrade
 * keeps its users and its unsent entries.
 */
import Dexie, { type EntityTable } from 'dexie'
import {
  databaseNameFor,
  LEGACY_DATABASE_NAME,
  targetKey,
  UNCONFIGURED_DATABASE_NAME,
  type ApiTarget,
  type DatabaseName,
} from '../../../shared/api-target'
import { openDatabase } from './database'

export const REGISTRY_DATABASE_NAME = 'outpost-targets'

/** Which target a database belongs to (no secrets: the URL and the client id only). */
export interface TargetRow {
  readonly name: DatabaseName
  readonly apiBaseUrl: string
  readonly clientId: string
  readonly boundAt: number
}

type Registry = Dexie & { targets: EntityTable<TargetRow, 'name'> }

export interface DatabasePlan {
  readonly name: DatabaseName
  /** True when an existing database without a target (the old one, or the unconfigured one) is taken over. */
  readonly adopts: boolean
  /** True when the registry already holds this target's database (nothing to record). */
  readonly bound: boolean
}

/** Another target's database that still holds entries not yet settled. */
export interface UnsentElsewhere {
  readonly name: DatabaseName
  readonly apiBaseUrl: string
  readonly clientId: string
  readonly count: number
}

export interface TargetDatabasesOptions {
  readonly registryName?: string
  readonly legacyName?: string
  readonly unconfiguredName?: string
  /**
   * Whether main still journals entries for the old database (the database itself may have
   * been lost by an update): then the old database is adopted so the journal restores into it.
   */
  readonly legacyJournalHasEntries?: () => Promise<boolean>
}

export interface TargetDatabases {
  /** Which database the target's work lives in; writes nothing. */
  plan(target: ApiTarget | null): Promise<DatabasePlan>
  /** Records that `name` holds `target`'s work (a no-op when already so). */
  bind(target: ApiTarget, name: DatabaseName, now?: number): Promise<void>
  /** plan, then bind: what the app does at start. */
  resolve(target: ApiTarget | null, now?: number): Promise<DatabaseName>
  /** Other targets' databases with entries in their outbox, for the notice. */
  unsentElsewhere(current: DatabaseName): Promise<UnsentElsewhere[]>
  close(): void
}

export function createTargetDatabases(options: TargetDatabasesOptions = {}): TargetDatabases {
  const legacyName = options.legacyName ?? LEGACY_DATABASE_NAME
  const unconfiguredName = options.unconfiguredName ?? UNCONFIGURED_DATABASE_NAME
  const registry = new Dexie(options.registryName ?? REGISTRY_DATABASE_NAME) as Registry
  registry.version(1).stores({ targets: '&name' })
  // Opened now, it overlaps reading Settings at start (a failure shows on the first read).
  registry.open().catch(() => undefined)

  async function legacyExists(): Promise<boolean> {
    if (await Dexie.exists(legacyName)) return true
    return (await options.legacyJournalHasEntries?.().catch(() => false)) ?? false
  }

  /** Databases no target has taken yet and that exist, oldest kind first. */
  async function unbound(rows: readonly TargetRow[]): Promise<DatabaseName[]> {
    const bound = new Set(rows.map((r) => r.name))
    const found: DatabaseName[] = []
    if (!bound.has(legacyName) && (await legacyExists())) found.push(legacyName)
    if (!bound.has(unconfiguredName) && (await Dexie.exists(unconfiguredName))) found.push(unconfiguredName)
    return found
  }

  async function plan(target: ApiTarget | null): Promise<DatabasePlan> {
    const rows = await registry.targets.toArray()
    // The everyday start: a target with its database already (no need to look for others).
    const known = target === null ? undefined : rows.find((r) => targetKey(r) === targetKey(target))
    if (known !== undefined) return { name: known.name, adopts: false, bound: true }
    const free = await unbound(rows)
    if (target === null) return { name: free.includes(legacyName) ? legacyName : unconfiguredName, adopts: false, bound: false }
    const adoptable = free[0]
    if (adoptable !== undefined) return { name: adoptable, adopts: true, bound: false }
    return { name: databaseNameFor(target), adopts: false, bound: false }
  }

  async function bind(target: ApiTarget, name: DatabaseName, now = Date.now()): Promise<void> {
    await registry.transaction('rw', registry.targets, async () => {
      const existing = await registry.targets.get(name)
      // A database holds one target's work for good: never rebound to another.
      if (existing !== undefined) return
      await registry.targets.add({ name, apiBaseUrl: target.apiBaseUrl, clientId: target.clientId, boundAt: now })
    })
  }

  return {
    plan,
    bind,
    async resolve(target, now = Date.now()) {
      // One at a time across tabs: two windows starting together adopt the old database once.
      return navigatorLocked(async () => {
        const planned = await plan(target)
        if (target !== null && !planned.bound) await bind(target, planned.name, now)
        return planned.name
      })
    },
    async unsentElsewhere(current) {
      const found: UnsentElsewhere[] = []
      for (const row of await registry.targets.toArray()) {
        if (row.name === current || !(await Dexie.exists(row.name))) continue
        const db = openDatabase(row.name)
        try {
          const count = await db.outbox.count()
          if (count > 0) found.push({ name: row.name, apiBaseUrl: row.apiBaseUrl, clientId: row.clientId, count })
        } finally {
          db.close()
        }
      }
      return found
    },
    close: () => registry.close(),
  }
}

/** Web Locks where the platform has them (browsers, Electron); Node tests run the task directly. */
async function navigatorLocked<T>(task: () => Promise<T>): Promise<T> {
  type Locks = { request(name: string, task: () => Promise<T>): Promise<T> }
  const locks = (globalThis as { navigator?: { locks?: Locks | null } }).navigator?.locks
  if (locks === undefined || locks === null) return task()
  return locks.request('outpost-target-databases', task)
}
