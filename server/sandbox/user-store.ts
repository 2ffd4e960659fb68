/**
 * Users in memory with two sorted indexes, (created_at, id) and (updated_at, id), so a
 * page of any offset is a slice in either order even at 100,000 users. Timestamps share
 * one fixed-width format, so string order is time order.
 */
import type { SortOrderSchema, SortFieldSchema, User } from '../../shared/schemas'
import type { z } from 'zod'

type SortField = z.infer<typeof SortFieldSchema>
type SortOrder = z.infer<typeof SortOrderSchema>

function compare(field: SortField, a: User, b: User): number {
  const left = a[field]
  const right = b[field]
  if (left !== right) return left < right ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Position of the first element not less than `user` in `index`. */
function lowerBound(index: readonly User[], field: SortField, user: User): number {
  let low = 0
  let high = index.length
  while (low < high) {
    const mid = (low + high) >>> 1
    const candidate = index[mid]
    if (candidate !== undefined && compare(field, candidate, user) < 0) low = mid + 1
    else high = mid
  }
  return low
}

export interface Page {
  readonly total: number
  readonly users: readonly User[]
}

export class UserStore {
  private readonly byId = new Map<string, User>()
  private readonly byCreated: User[] = []
  private readonly byUpdated: User[] = []

  get size(): number {
    return this.byId.size
  }

  get(id: string): User | undefined {
    return this.byId.get(id)
  }

  all(): readonly User[] {
    return this.byCreated
  }

  insert(user: User): void {
    if (this.byId.has(user.id)) throw new Error(`duplicate user id ${user.id}`)
    this.byId.set(user.id, user)
    this.byCreated.splice(lowerBound(this.byCreated, 'created_at', user), 0, user)
    this.byUpdated.splice(lowerBound(this.byUpdated, 'updated_at', user), 0, user)
  }

  /** Loads many users at once (seeding, state file): one sort instead of n inserts. */
  bulkLoad(users: readonly User[]): void {
    for (const user of users) {
      if (this.byId.has(user.id)) throw new Error(`duplicate user id ${user.id}`)
      this.byId.set(user.id, user)
      this.byCreated.push(user)
      this.byUpdated.push(user)
    }
    this.byCreated.sort((a, b) => compare('created_at', a, b))
    this.byUpdated.sort((a, b) => compare('updated_at', a, b))
  }

  /** Replaces a user; `created_at` never changes, so only the updated index moves. */
  replace(next: User): void {
    const previous = this.byId.get(next.id)
    if (previous === undefined) throw new Error(`unknown user ${next.id}`)
    const createdAt = lowerBound(this.byCreated, 'created_at', previous)
    this.byCreated[createdAt] = next
    this.byUpdated.splice(lowerBound(this.byUpdated, 'updated_at', previous), 1)
    this.byUpdated.splice(lowerBound(this.byUpdated, 'updated_at', next), 0, next)
    this.byId.set(next.id, next)
  }

  clear(): void {
    this.byId.clear()
    this.byCreated.length = 0
    this.byUpdated.length = 0
  }

  page(sort: SortField, order: SortOrder, offset: number, limit: number): Page {
    const index = sort === 'created_at' ? this.byCreated : this.byUpdated
    const total = index.length
    if (order === 'ASC') return { total, users: index.slice(offset, offset + limit) }
    const end = Math.max(total - offset, 0)
    return { total, users: index.slice(Math.max(end - limit, 0), end).reverse() }
  }
}
