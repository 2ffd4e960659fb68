/**
 * The bearer token desktop clients use on the feed: from config when given, otherwise
 * made once and kept in the data dir (owner-only file), so clients keep working across
 * restarts without anyone copying a new token.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateClientToken } from './bearer-auth'

export const CLIENT_TOKEN_FILE = 'client-token'
const MIN_TOKEN_LENGTH = 16
const OWNER_ONLY = 0o600

export function resolveClientToken(dataDir: string, configured: string | undefined): string {
  if (configured !== undefined) {
    if (configured.length < MIN_TOKEN_LENGTH) throw new Error(`client token must be at least ${MIN_TOKEN_LENGTH} characters`)
    return configured
  }
  const file = join(dataDir, CLIENT_TOKEN_FILE)
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim()
    if (stored.length >= MIN_TOKEN_LENGTH) return stored
  }
  mkdirSync(dataDir, { recursive: true })
  const token = generateClientToken()
  writeFileSync(file, `${token}\n`, { mode: OWNER_ONLY })
  chmodSync(file, OWNER_ONLY)
  return token
}
