/**
 * Which events a compaction may drop, as a pure rule: everything at or below the highest
 * sequence number that age or count allows, capped so that no event newer than the oldest
 * cursor clients presented recently is ever dropped (they would miss it).
 */
export interface CompactionInputs {
  /** Highest seq older than the age limit, if any. */
  readonly expiredByAgeThrough: number | undefined
  /** Highest seq beyond the newest `maxEvents`, if any. */
  readonly beyondCountThrough: number | undefined
  /** Oldest cursor seq presented within the protection window, if any. */
  readonly oldestRecentCursor: number | undefined
  /** What earlier compactions already dropped. */
  readonly compactedThrough: number
}

/** The seq to delete through (inclusive), or `undefined` when nothing may go. */
export function planCompaction(inputs: CompactionInputs): number | undefined {
  const candidates = [inputs.expiredByAgeThrough, inputs.beyondCountThrough].filter((n): n is number => n !== undefined)
  if (candidates.length === 0) return undefined
  let through = Math.max(...candidates)
  if (inputs.oldestRecentCursor !== undefined) through = Math.min(through, inputs.oldestRecentCursor)
  return through > inputs.compactedThrough ? through : undefined
}
