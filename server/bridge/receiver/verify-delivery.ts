/**
 * Checks a delivery's HTTP message signature on the raw bytes, before anything parses
 * them: draft 06 (`digest`, the provider's webhook format today) or draft 15
 * (`content-digest`, where the provider is heading), plus the bridge's replay window on
 * `created`. Key rotation: one refetch of the JWKS on an unknown keyid, then retry.
 */
import {
  verifyRequestAsync,
  verifyWebhookAsync,
  type HeaderInput,
  type PublicKeyLookup,
  type VerifyResult,
} from '../../../shared/node/http-signature'
import type { VerifyKeyCache } from './verify-key-cache'

const MS_PER_SECOND = 1000
/** Tolerated clock difference between the API and this host. */
export const CLOCK_SKEW_SECONDS = 30

export interface DeliveryRequest {
  readonly method: string
  /** Path and query as received. */
  readonly url: string
  readonly headers: HeaderInput
  readonly body: Buffer
}

export type DeliveryVerdict =
  | { readonly kind: 'verified'; readonly keyId: string; readonly format: 'draft-06' | 'draft-15' }
  | { readonly kind: 'rejected'; readonly reason: string; readonly detail: string }
  /** Keys could not be fetched: not the sender's fault, so the API should retry later. */
  | { readonly kind: 'keys_unavailable'; readonly detail: string }

export interface VerifyDeliveryOptions {
  readonly keys: VerifyKeyCache
  readonly replayWindowSeconds: number
  readonly now?: () => number
}

function formatOf(headers: HeaderInput): 'draft-06' | 'draft-15' {
  const has = (name: string): boolean => Object.keys(headers).some((key) => key.toLowerCase() === name)
  return has('content-digest') || !has('digest') ? 'draft-15' : 'draft-06'
}

export async function verifyDelivery(request: DeliveryRequest, options: VerifyDeliveryOptions): Promise<DeliveryVerdict> {
  const now = (options.now ?? Date.now)()
  if (!(await options.keys.ensureFresh())) return { kind: 'keys_unavailable', detail: options.keys.status().lastError ?? 'no verify keys' }

  const format = formatOf(request.headers)
  const time = { now, maxSkewSeconds: CLOCK_SKEW_SECONDS, maxAgeSeconds: options.replayWindowSeconds }
  // The ECDSA check runs on the thread pool: the event loop keeps serving while it runs.
  const attempt = (publicKeyFor: PublicKeyLookup): Promise<VerifyResult> => {
    const input = { ...time, method: request.method, url: request.url, headers: request.headers, body: request.body, publicKeyFor }
    return format === 'draft-06' ? verifyWebhookAsync(input) : verifyRequestAsync(input)
  }

  let result = await attempt(options.keys.lookup)
  if (!result.ok && result.reason === 'unknown_key' && (await options.keys.refreshForUnknownKey()))
    result = await attempt(options.keys.lookup)
  if (!result.ok) return { kind: 'rejected', reason: result.reason, detail: result.detail }

  // A far-off `expires` must not widen the replay window: `created` itself has to be recent.
  const ageSeconds = now / MS_PER_SECOND - result.created
  if (ageSeconds > options.replayWindowSeconds + CLOCK_SKEW_SECONDS) {
    return {
      kind: 'rejected',
      reason: 'stale',
      detail: `signature created ${Math.round(ageSeconds)} s ago, outside the ${options.replayWindowSeconds} s replay window`,
    }
  }
  return { kind: 'verified', keyId: result.keyId, format }
}
