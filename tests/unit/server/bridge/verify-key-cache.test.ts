import { describe, expect, it } from 'vitest'
import { generateSigningKeyPair, jwksFromKeys } from '../../../../shared/node/http-signature'
import type { ApiResult } from '../../../../shared/api-result'
import type { VerifyKeys } from '../../../../shared/schemas'
import { createVerifyKeyCache } from '../../../../server/bridge/receiver/verify-key-cache'

const REFRESH_INTERVAL_MS = 10_000
const MAX_AGE_MS = 3_600_000

function keySet(...kids: string[]): VerifyKeys {
  return jwksFromKeys(kids.map((kid) => ({ kid, key: generateSigningKeyPair('p521').privateKeyPem })))
}

/** A JWKS source the test controls, counting fetches. */
function source(initial: ApiResult<VerifyKeys>) {
  let answer = initial
  let fetches = 0
  return {
    fetchKeys: async () => {
      fetches += 1
      return answer
    },
    set: (next: ApiResult<VerifyKeys>) => {
      answer = next
    },
    get fetches() {
      return fetches
    },
  }
}

describe('verify key cache', () => {
  it('loads once, serves keys by kid, and refetches only when old', async () => {
    let now = 0
    const api = source({ ok: true, value: keySet('a') })
    const cache = createVerifyKeyCache({
      fetchKeys: api.fetchKeys,
      now: () => now,
      minRefreshIntervalMs: REFRESH_INTERVAL_MS,
      maxAgeMs: MAX_AGE_MS,
    })
    expect(await cache.ensureFresh()).toBe(true)
    expect(await cache.ensureFresh()).toBe(true)
    expect(api.fetches).toBe(1)
    expect(cache.lookup('a')).toBeDefined()
    expect(cache.lookup('b')).toBeUndefined()
    now += MAX_AGE_MS + 1
    await cache.ensureFresh()
    expect(api.fetches).toBe(2)
    expect(cache.status()).toMatchObject({ fetchedAt: now, keyCount: 1, lastError: undefined })
  })

  it('refetches on an unknown kid (rotation), at most once per interval', async () => {
    let now = 0
    const api = source({ ok: true, value: keySet('old') })
    const cache = createVerifyKeyCache({ fetchKeys: api.fetchKeys, now: () => now, minRefreshIntervalMs: REFRESH_INTERVAL_MS })
    await cache.ensureFresh()
    api.set({ ok: true, value: keySet('old', 'new') })

    now += REFRESH_INTERVAL_MS
    const concurrent = await Promise.all([cache.refreshForUnknownKey(), cache.refreshForUnknownKey(), cache.refreshForUnknownKey()])
    expect(concurrent).toEqual([true, true, true])
    expect(api.fetches).toBe(2)
    expect(cache.lookup('new')).toBeDefined()

    // A flood of forged kids right after costs no further fetches.
    now += 1
    for (let i = 0; i < 50; i += 1) expect(await cache.refreshForUnknownKey()).toBe(false)
    expect(api.fetches).toBe(2)
  })

  it('keeps the last good keys when a refresh fails, and reports the error', async () => {
    let now = 0
    const api = source({ ok: true, value: keySet('a') })
    const cache = createVerifyKeyCache({ fetchKeys: api.fetchKeys, now: () => now, minRefreshIntervalMs: REFRESH_INTERVAL_MS })
    await cache.ensureFresh()
    api.set({ ok: false, error: { kind: 'transient', reason: 'network', message: 'connection refused' } })
    now += REFRESH_INTERVAL_MS
    expect(await cache.refreshForUnknownKey()).toBe(false)
    expect(cache.lookup('a')).toBeDefined()
    expect(cache.status().lastError).toContain('connection refused')
  })

  it('says so when no keys could ever be loaded', async () => {
    const api = source({ ok: false, error: { kind: 'auth', status: 401, message: 'bad credentials' } })
    const cache = createVerifyKeyCache({ fetchKeys: api.fetchKeys })
    expect(await cache.ensureFresh()).toBe(false)
    expect(cache.status()).toMatchObject({ fetchedAt: undefined, keyCount: 0 })
  })
})
