/**
 * A throwaway PostgreSQL cluster for tests: `initdb` + `pg_ctl` into a temp dir on a free
 * loopback port, no system service. As root the server must run as another user, so the
 * binaries run as `postgres` (Debian's package creates it). Tests skip, saying why, only
 * when no PostgreSQL binaries are installed.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

const DEBIAN_ROOT = '/usr/lib/postgresql'
const SUPERUSER = 'outpost'

function findBinDir(): string | undefined {
  if (existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT)
      .filter((v) => existsSync(join(DEBIAN_ROOT, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))
    if (versions[0] !== undefined) return join(DEBIAN_ROOT, versions[0], 'bin')
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' })
  const found = which.stdout.trim()
  return which.status === 0 && found !== '' ? join(found, '..') : undefined
}

const BIN_DIR = findBinDir()
/** Why Postgres tests cannot run here, or undefined when they can. */
export const postgresUnavailable: string | undefined =
  BIN_DIR === undefined ? 'PostgreSQL binaries (initdb, pg_ctl) not found: install Debian package postgresql' : undefined

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

interface RunAs {
  readonly uid?: number
  readonly gid?: number
}

/** As root, the server's files and processes belong to `postgres`. */
function runAs(): RunAs {
  if (process.getuid?.() !== 0) return {}
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

export interface PostgresCluster {
  readonly port: number
  /** A URL for `database` on this cluster. */
  url(database: string): string
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>
  dropDatabase(name: string): Promise<void>
  stop(): Promise<void>
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  if (BIN_DIR === undefined) throw new Error(postgresUnavailable)
  const user = runAs()
  const dir = mkdtempSync(join(tmpdir(), 'outpost-pg-'))
  const dataDir = join(dir, 'data')
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid)
  const run = (binary: string, args: readonly string[]): void => {
    const result = spawnSync(join(BIN_DIR, binary), [...args], { ...user, encoding: 'utf8', cwd: dir })
    if (result.status !== 0) throw new Error(`${binary} failed (${result.status}): ${result.stderr || result.stdout}`)
  }
  run('initdb', ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'])
  const port = await freePort()
  // fsync off: a test cluster lives for one file's tests; durability there is not under test.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`
  run('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])

  const url = (database: string): string => `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres') })
    await client.connect()
    try {
      return await work(client)
    } finally {
      await client.end()
    }
  }
  return {
    port,
    url,
    async createDatabase(name) {
      await admin((client) => client.query(`CREATE DATABASE "${name}"`))
      return url(name)
    },
    async dropDatabase(name) {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
    },
    async stop() {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
