/**
 * "Test connection" on the settings page: can we get a token and read one user page from
 * the API, and does the bridge accept our token? Facts, worded by the renderer in the person's
 * language; no secrets in them.
 */
import type { ConnectionCheck, ConnectionTest } from '../../../shared/ipc/contract'
import type { ApiClient } from '../../../shared/node/api'
import type { AppConfig } from '../settings/dev-config'

export const BRIDGE_TEST_TIMEOUT_MS = 5_000

export async function testConnection(api: ApiClient | null, config: AppConfig | null): Promise<ConnectionTest> {
  return { api: await testApi(api), bridge: await testBridge(config) }
}

async function testApi(api: ApiClient | null): Promise<ConnectionCheck> {
  if (!api) return { ok: false, outcome: 'not_configured' }
  const result = await api.listUsers({ limit: 1 })
  if (result.ok) return { ok: true, outcome: 'connected', users: result.value.meta.total_count }
  const { error } = result
  if (error.kind === 'not_configured') return { ok: false, outcome: 'not_configured' }
  if (error.kind === 'auth') return { ok: false, outcome: 'rejected', detail: error.message }
  const noAnswer = error.kind === 'transient' && (error.reason === 'network' || error.reason === 'timeout')
  return { ok: false, outcome: noAnswer ? 'unreachable' : 'error', detail: error.message }
}

async function testBridge(config: AppConfig | null): Promise<ConnectionCheck> {
  const url = config?.settings.bridgeUrl
  const token = config?.secrets.bridgeToken
  if (!url || !token) return { ok: false, outcome: 'not_configured' }
  try {
    const response = await fetch(`${url.replace(/\/+$/, '')}/events/head`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(BRIDGE_TEST_TIMEOUT_MS),
    })
    await response.body?.cancel()
    if (response.ok) return { ok: true, outcome: 'connected' }
    return response.status === 401
      ? { ok: false, outcome: 'rejected', detail: 'HTTP 401' }
      : { ok: false, outcome: 'error', detail: `HTTP ${response.status}` }
  } catch (error) {
    return { ok: false, outcome: 'unreachable', detail: error instanceof Error ? error.message : String(error) }
  }
}
