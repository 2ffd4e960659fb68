/**
 * A seeded pseudo-random source (mulberry32) so demo data and ids from `--seed` are the
 * same on every run, with helpers for picks and UUID v4 strings.
 */

export interface Random {
  next(): number
  int(minInclusive: number, maxInclusive: number): number
  pick<T>(items: readonly T[]): T
  uuid(): string
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      const item = items[int(0, items.length - 1)]
      if (item === undefined) throw new Error('pick from an empty list')
      return item
    },
    uuid() {
      const word = () =>
        Math.floor(next() * 0x1_0000_0000)
          .toString(16)
          .padStart(8, '0')
      const hex = word() + word() + word() + word()
      // Version 4 and the RFC 4122 variant, so the ids pass any UUID check.
      const variant = (8 + (parseInt(hex[16] ?? '0', 16) & 3)).toString(16)
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
    },
  }
}
