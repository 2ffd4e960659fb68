/**
 * An in-process fake of the Users API behind the sync engine's transport interface, for
 * fast unit and property tests: idempotent creates, one data change per user (409 while
 * one is pending), async data changes and offboarding with events, and fault injection
 * (errors before or after the server commits, latency). The real simulator is exercised
 * by the integration tests; this fake follows the same documented rules.
 */
import type { ApiError, ApiResult } from '../../../shared/api-result'
import type { FeedBatch } from '../../../shared/ipc/contract'
import { namesPoBox } from '../../../shared/schemas/address'
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import type { DataChangeBody } from '../../../shared/schemas/data-change'
import type { UserEvent } from '../../../shared/schemas/events'
import type { ListUsersResponse } from '../../../shared/schemas/list'
import type { User } from '../../../shared/schemas/user'
import type { SyncTransport } from '../../../renderer/src/sync/transport'

/** `none`: that call answers normally (to aim a later fault at a particular call). */
export type FaultKind = 'none' | 'network' | 'timeout_after_commit' | 'server' | 'rate_limited' | 'auth'

export interface FakeApiOptions {
  /** Simulated latency per call, in ms. */
  readonly latencyMs?: number
  /** Delay before a data change or offboarding settles; null: only on settle(). */
  readonly settleMs?: number | null
  readonly retryAfterMs?: number
}

interface PendingChange {
  readonly userId: string
  readonly body: DataChangeBody
}

const PROOF = new Set(['issuance_date', 'data_download_link', 'document_type'])

export class FakeUsersApi {
  readonly users = new Map<string, User>()
  readonly creates = new Map<string, number>()
  readonly calls: string[] = []
  /** Local ms of each call, in the order of `calls`. */
  readonly callTimes: number[] = []
  inFlight = 0
  maxInFlight = 0
  readonly events: UserEvent[] = []
  private readonly keys = new Map<string, { body: string; user: User }>()
  private readonly pending = new Map<string, PendingChange>()
  private readonly appliedByClient = new Map<string, number>()
  private readonly faults: FaultKind[] = []
  private readonly aimed = new Map<string, FaultKind[]>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private clock = Date.parse('2026-01-01T00:00:00Z')
  /** Data changes that are refused (USER.DATA_CHANGE_FAILED) when they come due. */
  private failNext = 0
  /** Order of calls and back-office actions, to tell what the client could have seen. */
  private step = 0
  private readonly lastRead = new Map<string, number>()
  private readonly officeWrote = new Map<string, { step: number; fields: Set<string> }>()
  private readonly expectedBases = new Map<string, Record<string, unknown>>()
  /** Client data changes sent over a value the back office wrote and the client had read: silent overwrites. */
  readonly overwrites: string[] = []
  private eventCursor = 0
  private nextId = 1
  online = true

  constructor(private readonly options: FakeApiOptions = {}) {}

  /** The next calls fail like this, in order. */
  injectFaults(...faults: FaultKind[]): void {
    this.faults.push(...faults)
  }

  /** Faults stop: none queued or aimed is left, and pending refusals are dropped. */
  clearFaults(): void {
    this.faults.length = 0
    this.aimed.clear()
    this.failNext = 0
  }

  /** The next call of `method` fails like this (whatever calls come before it). */
  injectFaultFor(method: string, fault: FaultKind): void {
    this.aimed.set(method, [...(this.aimed.get(method) ?? []), fault])
  }

  private tick(): string {
    this.clock += 1000
    return new Date(this.clock).toISOString()
  }

  private uuid(): string {
    const n = (this.nextId++).toString(16).padStart(12, '0')
    return `00000000-0000-4000-8000-${n}`
  }

  private emit(type: UserEvent['type'], user: User): void {
    const base = {
      id: this.uuid().replace(/^00000000/, 'eeeeeeee'),
      created_at: this.tick(),
      webhook_id: '11111111-1111-4111-8111-111111111111',
    }
    this.events.push(
      type === 'USER.DATA_CHANGE_FAILED'
        ? { ...base, type, object: { user_id: user.id, reason: 'rejected' } }
        : ({ ...base, type, object: user } as UserEvent),
    )
  }

  /** Events since the last batch, with a cursor (no confirmation needed in the fake). */
  takeFeedBatch(): FeedBatch {
    const events = this.events.slice(this.eventCursor)
    this.eventCursor = this.events.length
    return { cursor: String(this.eventCursor), events }
  }

  /** The next `count` data changes are refused by the provider when they come due. */
  failNextDataChanges(count = 1): void {
    this.failNext += count
  }

  /**
   * What the person saw when queuing the change whose body has these values (the model tells
   * the fake, which cannot know): sending it over a different value the back office wrote,
   * after the client had read that value, is a silent overwrite.
   */
  expectBase(body: Record<string, unknown>, base: Record<string, unknown>): void {
    this.expectedBases.set(JSON.stringify(body), base)
  }

  /** Applies every pending data change now (events included). */
  settle(): void {
    for (const userId of [...this.pending.keys()]) this.applyChange(userId)
  }

  private applyChange(userId: string): void {
    const change = this.pending.get(userId)
    const user = this.users.get(userId)
    if (change === undefined || user === undefined) return
    this.pending.delete(userId)
    if (this.failNext > 0) {
      this.failNext -= 1
      this.emit('USER.DATA_CHANGE_FAILED', user)
      return
    }
    const fields = Object.fromEntries(Object.entries(change.body).filter(([k, v]) => !PROOF.has(k) && v !== undefined))
    const next = { ...user, ...fields, updated_at: this.tick() } as User
    this.users.set(userId, next)
    this.appliedByClient.set(userId, (this.appliedByClient.get(userId) ?? 0) + 1)
    this.emit('USER.DATA_CHANGED', next)
  }

  private later(fn: () => void): void {
    if (this.options.settleMs === null) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, this.options.settleMs ?? 0)
    this.timers.add(timer)
  }

  close(): void {
    this.timers.forEach((t) => clearTimeout(t))
    this.timers.clear()
  }

  private async call<T>(name: string, commit: () => ApiResult<T>): Promise<ApiResult<T>> {
    this.step += 1
    this.calls.push(name)
    this.callTimes.push(Date.now())
    this.inFlight += 1
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    try {
      if ((this.options.latencyMs ?? 0) > 0) await new Promise((r) => setTimeout(r, this.options.latencyMs))
      const aimed = this.aimed.get(name)?.shift()
      if (aimed !== undefined) this.faults.unshift(aimed)
      return this.answer(commit)
    } finally {
      this.inFlight -= 1
    }
  }

  private answer<T>(commit: () => ApiResult<T>): ApiResult<T> {
    if (!this.online) return { ok: false, error: { kind: 'transient', reason: 'network', message: 'offline' } }
    const fault = this.faults.shift()
    switch (fault) {
      case undefined:
      case 'none':
        return commit()
      case 'network':
        return { ok: false, error: { kind: 'transient', reason: 'network', message: 'connection refused' } }
      case 'server':
        return { ok: false, error: { kind: 'transient', reason: 'server', status: 503, message: 'HTTP 503' } }
      case 'rate_limited':
        return {
          ok: false,
          error: {
            kind: 'transient',
            reason: 'rate_limited',
            status: 429,
            retryAfterMs: this.options.retryAfterMs ?? 50,
            message: 'HTTP 429',
          },
        }
      case 'timeout_after_commit':
        commit()
        return { ok: false, error: { kind: 'transient', reason: 'timeout', message: 'timed out' } }
      case 'auth':
        return { ok: false, error: { kind: 'auth', status: 401, message: 'HTTP 401: invalid client credentials' } }
    }
  }

  createUser(body: CreateUserBody, key: string): Promise<ApiResult<User>> {
    return this.call('createUser', () => {
      if (namesPoBox(body.address.address_line1)) {
        return { ok: false, error: validation('address.address_line1', 'must not be a P.O. box') }
      }
      const text = JSON.stringify(body)
      const known = this.keys.get(key)
      if (known !== undefined) {
        if (known.body !== text) return { ok: false, error: { kind: 'validation', status: 422, message: 'key reused', fieldErrors: [] } }
        return { ok: true, value: known.user }
      }
      const at = this.tick()
      const user = {
        ...body,
        id: this.uuid(),
        created_at: at,
        updated_at: at,
        status: 'ACTIVE',
        postal_address: body.postal_address ?? body.address,
      } as User
      this.users.set(user.id, user)
      this.keys.set(key, { body: text, user })
      const identity = `${body.first_name}|${body.last_name}|${body.birth_date}`
      this.creates.set(identity, (this.creates.get(identity) ?? 0) + 1)
      this.emit('USER.CREATED', user)
      this.emit('USER.ACTIVATED', user)
      return { ok: true, value: user }
    })
  }

  /** Forgets idempotency keys, as the API does after 24 hours. */
  expireKeys(): void {
    this.keys.clear()
  }

  getUser(userId: string): Promise<ApiResult<User>> {
    return this.call('getUser', () => {
      this.lastRead.set(userId, this.step)
      const user = this.users.get(userId)
      return user === undefined ? { ok: false, error: notFound() } : { ok: true, value: user }
    })
  }

  listUsers(query: { sort?: string; order?: string; offset?: number; limit?: number }): Promise<ApiResult<ListUsersResponse>> {
    return this.call('listUsers', () => {
      // As the API: by created_at or updated_at, ties by id.
      const field = query.sort === 'updated_at' ? 'updated_at' : 'created_at'
      const sorted = [...this.users.values()].sort(
        (a, b) => (a[field].localeCompare(b[field]) || a.id.localeCompare(b.id)) * (query.order === 'DESC' ? -1 : 1),
      )
      const offset = query.offset ?? 0
      const limit = query.limit ?? 100
      const data = sorted.slice(offset, offset + limit)
      return { ok: true, value: { meta: { offset, limit, count: data.length, total_count: sorted.length }, data } }
    })
  }

  requestDataChange(userId: string, body: DataChangeBody): Promise<ApiResult<null>> {
    return this.call('requestDataChange', () => {
      const user = this.users.get(userId)
      if (user === undefined) return { ok: false, error: notFound() }
      if (user.status !== 'ACTIVE') return { ok: false, error: conflict(`user_id: user is ${user.status}`) }
      if (this.pending.has(userId)) return { ok: false, error: conflict('a data change is pending') }
      this.checkOverwrite(user, body)
      this.pending.set(userId, { userId, body })
      this.later(() => this.applyChange(userId))
      return { ok: true, value: null }
    })
  }

  offboardUser(userId: string): Promise<ApiResult<null>> {
    return this.call('offboardUser', () => {
      const user = this.users.get(userId)
      if (user === undefined) return { ok: false, error: notFound() }
      if (user.status === 'OFFBOARDING' || user.status === 'OFFBOARDED') return { ok: false, error: conflict('already offboarding') }
      const next = { ...user, status: 'OFFBOARDING', updated_at: this.tick() } as User
      this.users.set(userId, next)
      this.emit('USER.OFFBOARDING_INITIATED', next)
      return { ok: true, value: null }
    })
  }

  // --- The back office and the provider acting on the same users (no request of this client). ---

  private checkOverwrite(user: User, body: DataChangeBody): void {
    const fields = Object.fromEntries(Object.entries(body).filter(([k, v]) => !PROOF.has(k) && v !== undefined))
    const base = this.expectedBases.get(JSON.stringify(fields))
    const office = this.officeWrote.get(user.id)
    if (base === undefined || office === undefined) return
    // Only a value the client read after the back office wrote it counts (a write between its read and its send is a race no client can close).
    if ((this.lastRead.get(user.id) ?? 0) < office.step) return
    const server = user as unknown as Record<string, unknown>
    for (const [field, mine] of Object.entries(fields)) {
      if (!office.fields.has(field) || !(field in base)) continue
      const theirs = server[field] ?? null
      if (JSON.stringify(theirs) !== JSON.stringify(base[field] ?? null) && JSON.stringify(theirs) !== JSON.stringify(mine)) {
        this.overwrites.push(
          `${user.id}.${field}: ${JSON.stringify(mine)} sent over the back office's ${JSON.stringify(theirs)} (base ${JSON.stringify(base[field] ?? null)})`,
        )
      }
    }
  }

  private noteOffice(userId: string, fields: readonly string[]): void {
    this.step += 1
    const known = this.officeWrote.get(userId)
    this.officeWrote.set(userId, { step: this.step, fields: new Set([...(known?.fields ?? []), ...fields]) })
  }

  /** Someone else changes fields directly: updated_at moves and USER.DATA_CHANGED is sent. */
  changeElsewhere(userId: string, fields: Partial<User>): void {
    const user = this.users.get(userId)
    if (user === undefined) throw new Error(`no user ${userId}`)
    this.noteOffice(userId, Object.keys(fields))
    const next = { ...user, ...fields, updated_at: this.tick() } as User
    this.users.set(userId, next)
    this.emit('USER.DATA_CHANGED', next)
  }

  /** The back office offboards the user (USER.OFFBOARDING_INITIATED, then USER.OFFBOARDED). */
  offboardElsewhere(userId: string): void {
    for (const status of ['OFFBOARDING', 'OFFBOARDED'] as const) {
      const user = this.users.get(userId)
      if (user === undefined) throw new Error(`no user ${userId}`)
      const next = { ...user, status, updated_at: this.tick() } as User
      this.users.set(userId, next)
      this.emit(status === 'OFFBOARDING' ? 'USER.OFFBOARDING_INITIATED' : 'USER.OFFBOARDED', next)
    }
  }

  /** The provider deactivates (INACTIVE, USER.DEACTIVATED) or reactivates (USER.ACTIVATED) the user. */
  setActive(userId: string, active: boolean): void {
    const user = this.users.get(userId)
    if (user === undefined) throw new Error(`no user ${userId}`)
    const next = { ...user, status: active ? 'ACTIVE' : 'INACTIVE', updated_at: this.tick() } as User
    this.users.set(userId, next)
    this.emit(active ? 'USER.ACTIVATED' : 'USER.DEACTIVATED', next)
  }

  /** How many USER.DATA_CHANGED events this client's requests caused for a user (back-office changes excluded). */
  appliedChanges(userId: string): number {
    return this.appliedByClient.get(userId) ?? 0
  }

  /** The engine's transport over this fake (same shape as the IPC contract). */
  transport(): SyncTransport & { confirmed: string[] } {
    const confirmed: string[] = []
    return {
      confirmed,
      createUser: ({ body, idempotencyKey }) => this.createUser(body as CreateUserBody, idempotencyKey),
      getUser: ({ userId }) => this.getUser(userId),
      listUsers: (query) => this.listUsers(query as { sort?: string; order?: string; offset?: number; limit?: number }),
      requestDataChange: ({ userId, body }) => this.requestDataChange(userId, body as DataChangeBody),
      offboardUser: ({ userId }) => this.offboardUser(userId),
      confirmFeedBatch: async ({ cursor }) => {
        confirmed.push(cursor)
        return null
      },
    }
  }
}

function validation(field: string, message: string): ApiError {
  return { kind: 'validation', status: 400, message: `${field} ${message}`, fieldErrors: [{ field, message }] }
}
function notFound(): ApiError {
  return { kind: 'not_found', status: 404, message: 'user not found' }
}
function conflict(message: string): ApiError {
  return { kind: 'conflict', status: 409, message }
}
