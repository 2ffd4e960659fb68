/**
 * The in-memory search and sort index of the cached users: per user only the list keys
 * (sort fields, status, search words, the reconcile's seen-run), never the row. It answers
 * which keys a page of the user list shows and the exact total; the rows themselves are then
 * read from IndexedDB by key. Sorted orders are kept as arrays of slot numbers and brought
 * up to date lazily, on the first read after writes (the writes of a batch are sorted and
 * merged in, one pass), so a reconcile writing page after page never re-sorts per row.
 */
import type { RowStatus, UserRow } from './rows'

export const INDEX_SORT_FIELDS = ['name', 'updated_at', 'created_at', 'city'] as const
export type IndexSortField = (typeof INDEX_SORT_FIELDS)[number]

/** What the index keeps of a row. */
export type IndexedUser = Pick<UserRow, 'key' | 'name' | 'city' | 'status' | 'created_at' | 'updated_at' | 'words' | 'seenRun'>

export interface IndexPageQuery {
  readonly sort: IndexSortField
  readonly desc: boolean
  readonly status: RowStatus | undefined
  /** Lowercase word prefixes; every one must match a word of the user. */
  readonly words: readonly string[]
  readonly offset: number
  readonly limit: number
}

export interface IndexPage {
  readonly keys: string[]
  readonly total: number
}

/** A sort order: slots in order, plus the slots changed since it was last brought up to date. */
interface SortedOrder {
  slots: Int32Array
  dirty: Set<number>
}

const DEAD = ''

/**
 * The index as plain columns (one entry per live user, sort orders as positions), what a
 * saved snapshot holds: restoring it skips reading every row and sorting.
 */
export interface UserIndexColumns {
  keys: string[]
  fields: Record<IndexSortField, string[]>
  statuses: RowStatus[]
  seenRuns: number[]
  /** Each user's search words joined by a space (a word never holds whitespace). */
  words: string[]
  orders: Record<IndexSortField, Int32Array<ArrayBuffer>>
}

export class UserSearchIndex {
  private readonly slotOf = new Map<string, number>()
  // One entry per slot; a removed user's slot keeps DEAD as key (slots are never reused).
  private keys: string[] = []
  private fields: Record<IndexSortField, string[]> = { name: [], updated_at: [], created_at: [], city: [] }
  private statuses: RowStatus[] = []
  private seenRuns: number[] = []
  /** Each slot's search words joined by a space: one string per user keeps the heap small. */
  private wordsOf: string[] = []
  private readonly orders: Record<IndexSortField, SortedOrder>
  /**
   * Slots by search word, and the distinct words in order (new ones merged in lazily). Built
   * on the first search (or when the app is idle, see indexWords), not by a restore or a
   * build: the list by name needs none of it, and one pass over the words is faster than
   * keeping it current row by row while a whole table is read.
   */
  private wordsIndexed = false
  private readonly slotsByWord = new Map<string, number[]>()
  private sortedWords: string[] = []
  private newWords: string[] = []
  private liveCount = 0

  constructor() {
    const order = (): SortedOrder => ({ slots: new Int32Array(0), dirty: new Set() })
    this.orders = { name: order(), updated_at: order(), created_at: order(), city: order() }
  }

  /** The live users as columns (see UserIndexColumns). */
  toColumns(): UserIndexColumns {
    const position = new Int32Array(this.keys.length).fill(-1)
    const keys: string[] = []
    for (let slot = 0; slot < this.keys.length; slot += 1) {
      if (this.keys[slot] === DEAD) continue
      position[slot] = keys.length
      keys.push(this.keys[slot]!)
    }
    const live = (slot: number) => this.keys[slot] !== DEAD
    const column = <T>(values: readonly T[]): T[] => values.filter((_, slot) => live(slot))
    const fields = { name: [], updated_at: [], created_at: [], city: [] } as Record<IndexSortField, string[]>
    const orders = {} as Record<IndexSortField, Int32Array<ArrayBuffer>>
    for (const field of INDEX_SORT_FIELDS) {
      fields[field] = column(this.fields[field])
      orders[field] = this.ordered(field).map((slot) => position[slot]!)
    }
    return {
      keys,
      fields,
      statuses: column(this.statuses),
      seenRuns: column(this.seenRuns),
      words: column(this.wordsOf),
      orders,
    }
  }

  /** An index holding what `columns` hold; throws if they do not fit together (lengths, orders, unique keys). */
  static fromColumns(columns: UserIndexColumns): UserSearchIndex {
    const index = new UserSearchIndex()
    const n = columns.keys.length
    const lengths = [
      ...INDEX_SORT_FIELDS.map((f) => columns.fields[f].length),
      columns.statuses.length,
      columns.seenRuns.length,
      columns.words.length,
    ]
    if (lengths.some((length) => length !== n)) throw new Error('index columns differ in length')
    for (const field of INDEX_SORT_FIELDS)
      if (!isPermutation(columns.orders[field], n)) throw new Error(`index order ${field} is not a permutation`)
    // The columns are taken as they are (no copy, no per-user work beyond the key lookup):
    // a restore at 100,000 users must not hold up the first screen.
    for (let slot = 0; slot < n; slot += 1) index.slotOf.set(columns.keys[slot]!, slot)
    if (index.slotOf.size !== n) throw new Error('index columns repeat a key')
    index.keys = columns.keys
    for (const field of INDEX_SORT_FIELDS) index.fields[field] = columns.fields[field]
    index.statuses = columns.statuses
    index.seenRuns = columns.seenRuns
    index.wordsOf = columns.words
    index.liveCount = n
    for (const field of INDEX_SORT_FIELDS) index.orders[field].slots = Int32Array.from(columns.orders[field])
    return index
  }

  get size(): number {
    return this.liveCount
  }

  has(key: string): boolean {
    return this.slotOf.has(key)
  }

  seenRunOf(key: string): number | undefined {
    const slot = this.slotOf.get(key)
    return slot === undefined ? undefined : this.seenRuns[slot]
  }

  /** Adds or updates a user. */
  put(user: IndexedUser): void {
    const known = this.slotOf.get(user.key)
    const slot = known ?? this.keys.length
    if (known === undefined) {
      this.slotOf.set(user.key, slot)
      this.keys.push(user.key)
      for (const field of INDEX_SORT_FIELDS) this.fields[field].push(user[field])
      this.statuses.push(user.status)
      this.seenRuns.push(user.seenRun)
      this.wordsOf.push('')
      this.liveCount += 1
      this.markDirty(slot)
    } else {
      this.statuses[slot] = user.status
      this.seenRuns[slot] = user.seenRun
      let moved = false
      for (const field of INDEX_SORT_FIELDS) {
        if (this.fields[field][slot] !== user[field]) {
          this.fields[field][slot] = user[field]
          moved = true
        }
      }
      if (moved) this.markDirty(slot)
    }
    this.setWords(slot, user.words)
  }

  delete(key: string): void {
    const slot = this.slotOf.get(key)
    if (slot === undefined) return
    this.slotOf.delete(key)
    this.keys[slot] = DEAD
    this.setWords(slot, [])
    this.liveCount -= 1
    this.markDirty(slot)
  }

  /** Keys of server users whose seen-run is below `run` (the full reconcile's sweep candidates). */
  keysSeenBefore(run: number): string[] {
    const keys: string[] = []
    for (let slot = 0; slot < this.keys.length; slot += 1) {
      if (this.keys[slot] !== DEAD && this.seenRuns[slot]! < run) keys.push(this.keys[slot]!)
    }
    return keys
  }

  /** The keys of one page of the list and how many users match in all. */
  page(query: IndexPageQuery): IndexPage {
    const order = this.ordered(query.sort)
    const want = query.offset + query.limit
    if (query.words.length === 0 && query.status === undefined) {
      const total = order.length
      const from = query.desc ? Math.max(0, total - want) : query.offset
      const to = query.desc ? Math.max(0, total - query.offset) : Math.min(total, want)
      const slots = Array.from(order.subarray(from, to))
      if (query.desc) slots.reverse()
      return { keys: slots.map((slot) => this.keys[slot]!), total }
    }
    const { accepts, total } = query.words.length === 0 ? this.statusFilter(query.status!) : this.searchMatches(query.words, query.status)
    const keys: string[] = []
    if (total === 0 || query.offset >= total) return { keys, total }
    // Walk the sort order and pick the matches: typed-array steps, cheap even across the whole cache.
    let seen = 0
    const n = order.length
    for (let i = 0; i < n && seen < want; i += 1) {
      const slot = order[query.desc ? n - 1 - i : i]!
      if (!accepts(slot)) continue
      if (seen >= query.offset) keys.push(this.keys[slot]!)
      seen += 1
    }
    return { keys, total }
  }

  private statusFilter(status: RowStatus): { accepts: (slot: number) => boolean; total: number } {
    let total = 0
    for (let slot = 0; slot < this.keys.length; slot += 1) if (this.keys[slot] !== DEAD && this.statuses[slot] === status) total += 1
    return { accepts: (slot) => this.statuses[slot] === status, total }
  }

  /** Marks the slots where every word prefix-matches a word of the user (and the status fits). */
  private searchMatches(words: readonly string[], status: RowStatus | undefined): { accepts: (slot: number) => boolean; total: number } {
    this.indexWords()
    // hits[slot] = how many of the query's words matched so far, in order (a slot with two
    // words under one prefix counts once).
    const hits = new Uint8Array(this.keys.length)
    const last = Math.min(words.length, 255) - 1
    let total = 0
    for (let j = 0; j <= last; j += 1) {
      const prefix = words[j]!
      for (let w = lowerBound(this.sortedWords, prefix); w < this.sortedWords.length && this.sortedWords[w]!.startsWith(prefix); w += 1) {
        for (const slot of this.slotsByWord.get(this.sortedWords[w]!) ?? []) {
          if (hits[slot] !== j) continue
          if (j < last) hits[slot] = j + 1
          else if (status === undefined || this.statuses[slot] === status) {
            hits[slot] = j + 1
            total += 1
          }
        }
      }
    }
    const full = last + 1
    return { accepts: (slot) => hits[slot] === full, total }
  }

  /**
   * Builds the word index if it is not there yet (one pass over every user's words), and
   * merges in words added since. Called by the first search, or ahead of it when idle.
   */
  indexWords(): void {
    if (!this.wordsIndexed) {
      for (let slot = 0; slot < this.wordsOf.length; slot += 1) {
        if (this.keys[slot] === DEAD) continue
        for (const word of splitWords(this.wordsOf[slot]!)) this.postingsOf(word).push(slot)
      }
      this.wordsIndexed = true
    }
    this.mergeNewWords()
  }

  private postingsOf(word: string): number[] {
    let slots = this.slotsByWord.get(word)
    if (slots === undefined) {
      slots = []
      this.slotsByWord.set(word, slots)
      this.newWords.push(word)
    }
    return slots
  }

  private setWords(slot: number, words: readonly string[]): void {
    const text = [...new Set(words)].join(' ')
    const before = this.wordsOf[slot]!
    if (before === text) return
    this.wordsOf[slot] = text
    // Before the word index is built, the text is all there is to keep.
    if (!this.wordsIndexed) return
    const next = new Set(splitWords(text))
    const previous = new Set(splitWords(before))
    for (const word of previous) {
      if (next.has(word)) continue
      const slots = this.slotsByWord.get(word)
      const at = slots?.indexOf(slot) ?? -1
      if (at >= 0) slots!.splice(at, 1)
    }
    for (const word of next) if (!previous.has(word)) this.postingsOf(word).push(slot)
  }

  /**
   * Brings the distinct words up to date. A word enters newWords only when no entry for it
   * exists, and entries are deleted only here, so the merge never duplicates a word.
   */
  private mergeNewWords(): void {
    if (this.newWords.length === 0) return
    const added = this.newWords.sort(compareText)
    this.sortedWords = mergeSorted(this.sortedWords, added, compareText).filter((word) => {
      if ((this.slotsByWord.get(word)?.length ?? 0) > 0) return true
      this.slotsByWord.delete(word)
      return false
    })
    this.newWords = []
  }

  private markDirty(slot: number): void {
    for (const field of INDEX_SORT_FIELDS) this.orders[field].dirty.add(slot)
  }

  /** The live slots in `sort` order (ascending; ties by key), brought up to date first. */
  private ordered(sort: IndexSortField): Int32Array {
    const order = this.orders[sort]
    if (order.dirty.size === 0) return order.slots
    const values = this.fields[sort]
    const compare = (a: number, b: number) => compareText(values[a]!, values[b]!) || compareText(this.keys[a]!, this.keys[b]!)
    const dirty = new Uint8Array(this.keys.length)
    for (const slot of order.dirty) dirty[slot] = 1
    const kept = order.slots.filter((slot) => dirty[slot] === 0)
    const added = Int32Array.from([...order.dirty].filter((slot) => this.keys[slot] !== DEAD)).sort(compare)
    order.slots = mergeSortedInts(kept, added, compare)
    order.dirty.clear()
    return order.slots
  }
}

function splitWords(text: string): string[] {
  return text === '' ? [] : text.split(' ')
}

function isPermutation(order: Int32Array, n: number): boolean {
  if (order.length !== n) return false
  const seen = new Uint8Array(n)
  for (const slot of order) {
    if (slot < 0 || slot >= n || seen[slot] === 1) return false
    seen[slot] = 1
  }
  return true
}

/** Code-unit order, as IndexedDB and the `<` operator compare strings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

function mergeSorted<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) out.push(compare(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!)
  while (i < a.length) out.push(a[i++]!)
  while (j < b.length) out.push(b[j++]!)
  return out
}

function mergeSortedInts(a: Int32Array, b: Int32Array, compare: (x: number, y: number) => number): Int32Array {
  const out = new Int32Array(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) out[k++] = compare(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!
  while (i < a.length) out[k++] = a[i++]!
  while (j < b.length) out[k++] = b[j++]!
  return out
}
