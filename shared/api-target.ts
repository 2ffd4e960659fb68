/**
 * Which API a database and its outbox journal belong to: the API base URL and the client id.
 * Work queued against one target is kept in that target's database only, so switching Settings
 * from a sandbox to production can never send the sandbox's queue to production.
 */
import { z } from 'zod'

export interface ApiTarget {
  readonly apiBaseUrl: string
  readonly clientId: string
}

/** The database of the first version, before databases were per target; adopted, never dropped. */
export const LEGACY_DATABASE_NAME = 'outpost'
/** The database used while no target is configured yet; the first target configured adopts it. */
export const UNCONFIGURED_DATABASE_NAME = 'outpost-unconfigured'

/** What a database name may look like: it also names a journal file, so nothing path-like. */
export const DatabaseNameSchema = z
  .string()
  .max(80)
  .regex(/^outpost(-[a-z0-9]+)*$/, 'must be an Outpost database name')
export type DatabaseName = z.infer<typeof DatabaseNameSchema>

/** One spelling per target: scheme and host lowercased, no trailing slash, client id lowercased. */
export function targetKey(target: ApiTarget): string {
  let url = target.apiBaseUrl.trim()
  try {
    const parsed = new URL(url)
    url = `${parsed.protocol}//${parsed.host}${parsed.pathname}`.toLowerCase()
  } catch {
    url = url.toLowerCase()
  }
  return `${url.replace(/\/+$/, '')}|${target.clientId.trim().toLowerCase()}`
}

export function sameTarget(a: ApiTarget | null, b: ApiTarget | null): boolean {
  if (a === null || b === null) return a === b
  return targetKey(a) === targetKey(b)
}

/**
 * A readable, safe and stable name: `outpost-<host>-<hash>`, e.g.
 * `outpost-api-example-com-3f9a1c2b7d`. The host tells a person looking at the browser's
 * storage which API it is; the hash (of URL path, port and client id too) keeps targets apart.
 */
export function databaseNameFor(target: ApiTarget): DatabaseName {
  const key = targetKey(target)
  let host = 'api'
  try {
    host = new URL(target.apiBaseUrl).hostname
  } catch {
    // An unparsable URL still gets a name of its own through the hash.
  }
  const readable = host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return `outpost-${readable === '' ? 'api' : readable}-${hash53(key)}`
}

/** cyrb53: a fast 53-bit string hash (not for security; names only), as 11 base-36 digits at most. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}
