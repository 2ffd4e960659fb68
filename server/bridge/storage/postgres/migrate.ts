/**
 * Versioned SQL migrations for the PostgreSQL store: `migrations/NNN_name.sql`, applied in
 * order, each in its own transaction, recorded in `bridge_schema_migrations`. A session
 * advisory lock makes instances that start together migrate one after the other.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Pool } from 'pg'

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
/** Any constant shared by all instances; distinct from the append and compaction locks. */
export const MIGRATION_LOCK_KEY = 0x6f757470_01

interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export function readMigrations(dir = MIGRATIONS_DIR): readonly Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), name: file.slice(4, -4), sql: readFileSync(join(dir, file), 'utf8') }))
}

/** Applies what is missing; returns the versions it applied. */
export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    await client.query(
      'CREATE TABLE IF NOT EXISTS bridge_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    )
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM bridge_schema_migrations')).rows.map((r) => r.version),
    )
    const applied: number[] = []
    for (const migration of readMigrations()) {
      if (done.has(migration.version)) continue
      await client.query('BEGIN')
      try {
        await client.query(migration.sql)
        await client.query('INSERT INTO bridge_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw new Error(
          `migration ${migration.version}_${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
      applied.push(migration.version)
    }
    return applied
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined)
    client.release()
  }
}
