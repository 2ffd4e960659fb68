/** "just now", "3 minutes ago", "gestern": a past moment said the way people say it, in their language. */

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
/** Below this, "now": seconds ticking by would only distract. */
const JUST_NOW_MS = 45_000

export function relativeTime(then: number, now: number, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const ago = Math.max(0, now - then)
  if (ago < JUST_NOW_MS) return format.format(0, 'second')
  if (ago < HOUR_MS) return format.format(-Math.max(1, Math.round(ago / MINUTE_MS)), 'minute')
  if (ago < DAY_MS) return format.format(-Math.round(ago / HOUR_MS), 'hour')
  return format.format(-Math.round(ago / DAY_MS), 'day')
}
