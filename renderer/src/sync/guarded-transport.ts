/**
 * The transport as the engine's runs use it: a call that cannot reach main or the web host at
 * all (a rejected promise, not an API answer) becomes a transient `app_service` error, so the
 * entry backs off like any retry instead of being run again at once, and the status can say
 * "app service unreachable" rather than "online".
 */
import type { ApiError } from '../../../shared/api-result'
import { SYNC_METHODS, type SyncTransport } from './transport'

function unreachable(error: unknown): { ok: false; error: ApiError } {
  const detail = error instanceof Error ? error.message : String(error)
  return { ok: false, error: { kind: 'transient', reason: 'app_service', message: `the app service did not answer (${detail})` } }
}

export function guardTransport(transport: SyncTransport): SyncTransport {
  const guarded: Record<string, unknown> = { ...transport }
  for (const method of SYNC_METHODS) {
    if (method === 'confirmFeedBatch') continue // not an API result; the feed applier handles its failure
    const call = transport[method] as (input: unknown) => Promise<unknown>
    guarded[method] = (input: unknown) => call(input).catch(unreachable)
  }
  return guarded as SyncTransport
}
