/**
 * Who may drive `/__sandbox/`: only requests addressed to this simulator's own loopback
 * Host (no DNS rebinding) that carry the admin token, or that are JSON without a foreign
 * Origin (a web page cannot send that cross-origin without a CORS preflight we never grant).
 */
import { createHash, timingSafeEqual } from 'node:crypto'

export const ADMIN_TOKEN_HEADER = 'x-sandbox-admin-token'
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

export interface AdminRequestFacts {
  readonly host: string | undefined
  readonly origin: string | undefined
  readonly contentType: string | undefined
  readonly token: string | undefined
  /** The port this request arrived on. */
  readonly localPort: number
}

export type AdminVerdict = { readonly ok: true } | { readonly ok: false; readonly detail: string }

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

function ownOrigin(value: string, port: number): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  return url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname) && url.port === String(port)
}

export function checkAdminRequest(facts: AdminRequestFacts, adminToken: string): AdminVerdict {
  if (facts.host === undefined || !ownOrigin(`http://${facts.host}`, facts.localPort))
    return { ok: false, detail: 'host: the admin answers only on its own loopback address' }
  if (facts.token !== undefined && timingSafeEqual(digest(facts.token), digest(adminToken))) return { ok: true }
  const json = /^application\/json\s*(;|$)/i.test(facts.contentType ?? '')
  if (!json) return { ok: false, detail: `admin: send ${ADMIN_TOKEN_HEADER} or content-type: application/json` }
  if (facts.origin !== undefined && !ownOrigin(facts.origin, facts.localPort))
    return { ok: false, detail: 'origin: admin calls from another origin are refused' }
  return { ok: true }
}
