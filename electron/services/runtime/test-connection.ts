/**
 * "Test connection" on the settings page: can we get a token and read one user page from
 * the API, and does the bridge accept our token? Messages are for people; no secrets in them.
 */
import type { ConnectionTest } from '../../../shared/ipc/contract'
import type { ApiClient } from '../../../shared/node/api'
import type { AppConfig } from '../settings/dev-config'

export const BRIDGE_TEST_TIMEOUT_MS = 5_000

export async function testConnection(api: ApiClient | null, config: AppConfig | null): Promise<ConnectionTest> {
  return { api: await testApi(api), bridge: await testBridge(config) }
}

async function testApi(api: ApiClient | null): Promise<ConnectionTest['api']> {
  if (!api) return { ok: false, message: 'not configured: API address, client id, key id, client secret and private key are needed' }
  const result = await api.listUsers({ limit: 1 })
  return result.ok
    ? { ok: true, message: `connected; ${result.value.meta.total_count} user(s) visible` }
    : { ok: false, message: `${result.error.kind}: ${result.error.message}` }
}

async function testBridge(config: AppConfig | null): Promise<ConnectionTest['bridge']> {
  const url = config?.settings.bridgeUrl
  const token = config?.secrets.bridgeToken
  if (!url || !token) return { ok: false, message: 'not configured: bridge address and token are needed' }
  try {
    const response = await fetch(`${url.replace(/\/+$/, '')}/events/head`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(BRIDGE_TEST_TIMEOUT_MS),
    })
    await response.body?.cancel()
    if (response.ok) return { ok: true, message: 'connected' }
    return { ok: false, message: response.status === 401 ? 'the bridge rejected the token' : `the bridge answered ${response.status}` }
  } catch (error) {
    return { ok: false, message: `bridge unreachable: ${error instanceof Error ? error.message : String(error)}` }
  }
}
