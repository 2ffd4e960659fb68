/** DocumentStore in the bridge's SQLite file (its own connection, like the device tokens). */
import Database from 'better-sqlite3'
import type { DocumentStore } from './document-store'

const BUSY_TIMEOUT_MS = 5_000

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS documents (
    capability_hash TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS documents_expires_at ON documents (expires_at);
`

export function openSqliteDocuments(file: string): DocumentStore {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS })
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(SCHEMA)
  const insert = db.prepare<[string, string, Buffer, number, number]>(
    'INSERT INTO documents (capability_hash, content_type, body, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  )
  const select = db.prepare<[string], { content_type: string; body: Buffer; expires_at: number }>(
    'SELECT content_type, body, expires_at FROM documents WHERE capability_hash = ?',
  )
  const removeOne = db.prepare<[string]>('DELETE FROM documents WHERE capability_hash = ?')
  const removeExpired = db.prepare<[number]>('DELETE FROM documents WHERE expires_at <= ?')
  return {
    async put(document) {
      insert.run(document.capabilityHash, document.contentType, document.body, document.createdAt, document.expiresAt)
    },
    async get(capabilityHash, now) {
      const row = select.get(capabilityHash)
      if (row === undefined) return undefined
      if (row.expires_at <= now) {
        removeOne.run(capabilityHash)
        return undefined
      }
      return { contentType: row.content_type, body: row.body, expiresAt: row.expires_at }
    },
    async deleteExpired(now) {
      return removeExpired.run(now).changes
    },
    async close() {
      if (db.open) db.close()
    },
  }
}
