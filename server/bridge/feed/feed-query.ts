/**
 * The feed's query string, checked at the edge: `after` (opaque cursor, optional),
 * `limit` (1..MAX_FEED_LIMIT), `wait` (seconds, clamped to the bridge's cap so a client
 * cannot pin a connection for hours).
 */
import { z } from 'zod'
import { safeParseUnknown, type FieldIssue } from '../../../shared/parse'

export const DEFAULT_FEED_LIMIT = 100
export const MAX_FEED_LIMIT = 1000

const numberText = (pattern: RegExp, message: string) => z.string().regex(pattern, message).transform(Number)

const FeedQuerySchema = z.object({
  after: z.string().min(1, 'must not be empty').max(200, 'is too long').optional(),
  limit: numberText(/^[0-9]{1,5}$/, 'must be a whole number')
    .pipe(z.number().int().min(1, 'must be at least 1').max(MAX_FEED_LIMIT, `must be at most ${MAX_FEED_LIMIT}`))
    .optional(),
  wait: numberText(/^[0-9]{1,6}(\.[0-9]{1,3})?$/, 'must be a number of seconds').optional(),
})

export interface FeedQuery {
  readonly after: string | undefined
  readonly limit: number
  readonly waitMs: number
}

export type FeedQueryResult =
  { readonly ok: true; readonly query: FeedQuery } | { readonly ok: false; readonly issues: readonly FieldIssue[] }

const MS_PER_SECOND = 1000

export function parseFeedQuery(raw: unknown, maxWaitSeconds: number): FeedQueryResult {
  const parsed = safeParseUnknown(FeedQuerySchema, raw)
  if (!parsed.ok) return parsed
  const waitSeconds = Math.min(parsed.value.wait ?? 0, maxWaitSeconds)
  return {
    ok: true,
    query: { after: parsed.value.after, limit: parsed.value.limit ?? DEFAULT_FEED_LIMIT, waitMs: Math.round(waitSeconds * MS_PER_SECOND) },
  }
}
