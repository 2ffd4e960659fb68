/**
 * DeviceTokenStore on the bridge's SQLite file (its own connection; WAL lets the running
 * bridge and the `tokens` command use the file at the same time).
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { DeviceTokenError, type DeviceTokenInfo, type DeviceTokenStore } from './device-token-store'

const BUSY_TIMEOUT_MS = 5_000

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS device_tokens (
    name TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER
  ) WITHOUT ROWID;
`

export function openSqliteDeviceTokens(file: string): DeviceTokenStore {
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS })
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(SCHEMA)
  const insert = db.prepare<[string, string, number]>('INSERT INTO device_tokens (name, token_hash, created_at) VALUES (?, ?, ?)')
  const byHash = db.prepare<[string], { name: string }>('SELECT name FROM device_tokens WHERE token_hash = ?')
  const touch = db.prepare<[number, string]>('UPDATE device_tokens SET last_seen_at = ? WHERE name = ?')
  const list = db.prepare<[], { name: string; created_at: number; last_seen_at: number | null }>(
    'SELECT name, created_at, last_seen_at FROM device_tokens ORDER BY name',
  )
  const remove = db.prepare<[string]>('DELETE FROM device_tokens WHERE name = ?')

  return {
    async insert(name, tokenHash, createdAt) {
      try {
        insert.run(name, tokenHash, createdAt)
      } catch (error) {
        if (error instanceof Error && /UNIQUE|PRIMARY KEY/.test(error.message))
          throw new DeviceTokenError(`a device named ${name} already has a token; revoke it first`)
        throw error
      }
    },
    async findByHash(tokenHash) {
      return byHash.get(tokenHash)?.name
    },
    async touch(name, seenAt) {
      touch.run(seenAt, name)
    },
    async list(): Promise<readonly DeviceTokenInfo[]> {
      return list.all().map((row) => ({ name: row.name, createdAt: row.created_at, lastSeenAt: row.last_seen_at }))
    },
    async revoke(name) {
      return remove.run(name).changes > 0
    },
    async close() {
      if (db.open) db.close()
    },
  }
}
