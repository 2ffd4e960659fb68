/**
 * Opens a connection to the bridge's SQLite file with the settings every connection needs:
 * WAL (readers never wait for the writer) and `synchronous = FULL`: with WAL, NORMAL
 * survives a process crash but may lose the last commits on power loss, and a 200 promises
 * the API that the delivery is kept.
 */
import Database from 'better-sqlite3'

const BUSY_TIMEOUT_MS = 5_000

export function openSqliteConnection(file: string): Database.Database {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS })
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  return db
}
