/**
 * Timestamps for users and events: RFC 3339 with microseconds, strictly increasing, so
 * `created_at` orders events inside a delivery and sorting by time is stable.
 */

const MICROS_PER_MS = 1000

export interface Clock {
  nowIso(): string
}

export function isoFromMicros(micros: number): string {
  const ms = Math.floor(micros / MICROS_PER_MS)
  const fraction = String(micros % MICROS_PER_MS).padStart(3, '0')
  return new Date(ms).toISOString().replace('Z', `${fraction}Z`)
}

export function createClock(): Clock {
  let last = 0
  return {
    nowIso() {
      // Several stamps in one millisecond still differ and keep their order.
      last = Math.max(Date.now() * MICROS_PER_MS, last + 1)
      return isoFromMicros(last)
    },
  }
}
