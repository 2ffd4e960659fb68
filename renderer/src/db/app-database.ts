/**
 * Opens the app's database at start: the one of the API target in Settings (see
 * target-databases.ts), before the first screen reads anything. Switching the target later
 * reloads the app, so every screen and the sync engine start again on the new target's
 * database and nothing keeps writing to, or sending from, the old one.
 */
import { LEGACY_DATABASE_NAME, type ApiTarget, type DatabaseName } from '../../../shared/api-target'
import type { PublicSettings } from '../../../shared/settings'
import type { IpcInput, IpcOutput } from '../../../shared/ipc/contract'
import { openDatabase, setAppDatabase, type OutpostDb } from './database'
import { createTargetDatabases, type DatabasePlan, type TargetDatabases } from './target-databases'

export interface AppDatabase {
  readonly name: DatabaseName
  /** null: no target configured yet. */
  readonly target: ApiTarget | null
  /** False when Settings could not be read: the target is unknown, so nothing is sent. */
  readonly targetKnown: boolean
  readonly db: OutpostDb
}

/** What opening needs from main (the renderer transport has these). */
export interface StartTransport {
  getSettings(): Promise<IpcOutput<'getSettings'>>
  getAppInfo(): Promise<IpcOutput<'getAppInfo'>>
  readJournal(input: IpcInput<'readJournal'>): Promise<IpcOutput<'readJournal'>>
}

let current: AppDatabase | null = null
let registry: TargetDatabases | null = null

export function targetOf(settings: PublicSettings['settings']): ApiTarget | null {
  return settings === null ? null : { apiBaseUrl: settings.apiBaseUrl, clientId: settings.clientId }
}

function targetDatabases(transport: StartTransport): TargetDatabases {
  registry ??= createTargetDatabases({
    // An update may have lost the old database while main still journals its unsent entries.
    legacyJournalHasEntries: async () =>
      (await transport.getAppInfo()).transport === 'electron' &&
      (await transport.readJournal({ database: LEGACY_DATABASE_NAME })).entries.length > 0,
  })
  return registry
}

export async function openAppDatabase(transport: StartTransport): Promise<AppDatabase> {
  const targets = targetDatabases(transport)
  let target: ApiTarget | null = null
  let targetKnown = true
  try {
    target = targetOf((await transport.getSettings()).settings)
  } catch (error) {
    console.warn('database: settings unreadable, so the API target is unknown; nothing is sent until it is', error)
    targetKnown = false
  }
  const name = await targets.resolve(target)
  const db = openDatabase(name)
  // Opening a large database takes a while: begun now, it overlaps mounting the first screen
  // (a failure shows on the first read, where it is reported).
  db.open().catch(() => undefined)
  setAppDatabase(db)
  current = { name, target, targetKnown, db }
  return current
}

export function currentAppDatabase(): AppDatabase {
  if (current === null) throw new Error('the app database is not open yet')
  return current
}

/** Where `target`'s work lives (nothing is written): compare with the current name to know whether saving switches. */
export function planFor(transport: StartTransport, target: ApiTarget): Promise<DatabasePlan> {
  return targetDatabases(transport).plan(target)
}

/** Records that the open database now holds `target`'s work (the first target configured takes it over). */
export async function adoptCurrent(transport: StartTransport, target: ApiTarget): Promise<void> {
  const open = currentAppDatabase()
  await targetDatabases(transport).bind(target, open.name)
  current = { ...open, target, targetKnown: true }
}

export function unsentElsewhere(transport: StartTransport) {
  return targetDatabases(transport).unsentElsewhere(currentAppDatabase().name)
}
