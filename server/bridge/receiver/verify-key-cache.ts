/**
 * The API's webhook verification keys (`GET /auth/verify_keys`, a JWKS), cached. Refreshed
 * when they get old and when a delivery names an unknown `keyid` (key rotation), but at most
 * once per `minRefreshIntervalMs` and one fetch at a time, so forged keyids cannot make the
 * bridge hammer the API.
 */
import type { ApiResult } from '../../../shared/api-result'
import type { VerifyKeys } from '../../../shared/schemas'
import { keyLookupFromJwks, type PublicKeyLookup } from '../../../shared/node/http-signature'

export const DEFAULT_KEY_REFRESH_INTERVAL_MS = 10_000
export const DEFAULT_KEY_MAX_AGE_MS = 60 * 60 * 1000

export interface VerifyKeyCacheOptions {
  readonly fetchKeys: () => Promise<ApiResult<VerifyKeys>>
  readonly now?: () => number
  readonly minRefreshIntervalMs?: number
  readonly maxAgeMs?: number
}

export interface VerifyKeyStatus {
  readonly fetchedAt: number | undefined
  readonly keyCount: number
  readonly lastError: string | undefined
}

export interface VerifyKeyCache {
  /** Loads the keys if there are none or they are old; false when none are usable. */
  ensureFresh(): Promise<boolean>
  /** For an unknown keyid: refetch unless that was done very recently. True if a fetch happened and succeeded. */
  refreshForUnknownKey(): Promise<boolean>
  lookup: PublicKeyLookup
  status(): VerifyKeyStatus
}

export function createVerifyKeyCache(options: VerifyKeyCacheOptions): VerifyKeyCache {
  const now = options.now ?? Date.now
  const minInterval = options.minRefreshIntervalMs ?? DEFAULT_KEY_REFRESH_INTERVAL_MS
  const maxAge = options.maxAgeMs ?? DEFAULT_KEY_MAX_AGE_MS
  let current: PublicKeyLookup | undefined
  let keyCount = 0
  let fetchedAt: number | undefined
  let lastAttemptAt: number | undefined
  let lastError: string | undefined
  let inFlight: Promise<boolean> | undefined

  const fetchOnce = (): Promise<boolean> => {
    inFlight ??= (async () => {
      lastAttemptAt = now()
      try {
        const result = await options.fetchKeys()
        if (!result.ok) {
          lastError = `${result.error.kind}: ${result.error.message}`
          return false
        }
        current = keyLookupFromJwks(result.value)
        keyCount = result.value.keys.length
        fetchedAt = now()
        lastError = undefined
        return true
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error)
        return false
      } finally {
        inFlight = undefined
      }
    })()
    return inFlight
  }

  const recentlyTried = (): boolean => lastAttemptAt !== undefined && now() - lastAttemptAt < minInterval

  return {
    async ensureFresh() {
      const stale = fetchedAt === undefined || now() - fetchedAt > maxAge
      if (stale && (inFlight !== undefined || !recentlyTried())) await fetchOnce()
      return current !== undefined
    },
    async refreshForUnknownKey() {
      if (inFlight !== undefined) return inFlight
      if (recentlyTried()) return false
      return fetchOnce()
    },
    lookup: (keyId) => current?.(keyId),
    status: () => ({ fetchedAt, keyCount, lastError }),
  }
}
