/**
 * User lifecycle as settled for this project: create -> ACTIVE (USER.CREATED, then
 * USER.ACTIVATED); DELETE -> OFFBOARDING now, OFFBOARDED after a delay; a data change is
 * applied (USER.DATA_CHANGED) or refused (USER.DATA_CHANGE_FAILED) after a delay, one
 * pending change per user, ACTIVE users only. The back office (admin) may deactivate,
 * reactivate, change and offboard users directly. Timers are owned here and cleared on close.
 */
import { randomUUID } from 'node:crypto'
import type { CreateUserBody, DataChangeBody, User } from '../../shared/schemas'
import type { Clock } from './clock'
import type { EventDraft } from './dispatcher'
import { ApiProblem } from './problem'
import type { UserStore } from './user-store'

// Proof fields document a change; they are not user fields.
/** How many accepted data-change requests the admin surface keeps. */
const RECEIVED_KEPT = 100
const PROOF_FIELDS = new Set(['issuance_date', 'data_download_link', 'document_type'])

interface PendingChange {
  readonly body: DataChangeBody
  readonly rejectReason: string | undefined
  /** Epoch ms when it comes due: kept in the state file so a restart resumes the timer. */
  readonly dueAt: number
  readonly timer: NodeJS.Timeout
}

/** A pending data change as the state file keeps it. */
export interface SavedChange {
  readonly userId: string
  readonly body: DataChangeBody
  readonly rejectReason: string | undefined
  readonly dueAt: number
}

/** Fields the back office may set directly (no proof: it checked the documents itself). */
export type BackOfficeFields = Partial<Omit<User, 'id' | 'created_at' | 'updated_at' | 'status'>>

const isOffboarded = (user: User) => user.status === 'OFFBOARDING' || user.status === 'OFFBOARDED'

export interface LifecycleOptions {
  readonly users: UserStore
  readonly clock: Clock
  readonly publish: (events: readonly EventDraft[]) => void
  readonly onChange: () => void
  readonly offboardDelayMs: number
  readonly dataChangeDelayMs: number
}

export class Lifecycle {
  private readonly offboarding = new Map<string, NodeJS.Timeout>()
  private readonly changes = new Map<string, PendingChange>()
  private rejectNext: string[] = []
  /** The last data-change requests accepted, newest last (the admin surface shows what a client sent). */
  private readonly received: { readonly userId: string; readonly body: DataChangeBody }[] = []

  constructor(private readonly options: LifecycleOptions) {}

  create(body: CreateUserBody): User {
    const now = this.options.clock.nowIso()
    const user: User = {
      ...body,
      id: randomUUID(),
      created_at: now,
      updated_at: now,
      // Omitted on create: the API fills it from the residential address.
      postal_address: body.postal_address === undefined ? body.address : body.postal_address,
      status: 'ACTIVE',
    }
    this.options.users.insert(user)
    this.options.publish([
      { type: 'USER.CREATED', created_at: this.options.clock.nowIso(), object: user },
      { type: 'USER.ACTIVATED', created_at: this.options.clock.nowIso(), object: user },
    ])
    this.options.onChange()
    return user
  }

  /** ACTIVE or INACTIVE -> OFFBOARDING (USER.OFFBOARDING_INITIATED); OFFBOARDED after the delay. */
  offboard(id: string): User {
    const user = this.requireUser(id)
    if (isOffboarded(user)) throw new ApiProblem(409, `user_id: user is already ${user.status}`)
    const next = this.update(user, { status: 'OFFBOARDING' })
    this.options.publish([{ type: 'USER.OFFBOARDING_INITIATED', created_at: this.options.clock.nowIso(), object: next }])
    this.scheduleOffboarded(id)
    return next
  }

  /** Back office: ACTIVE -> INACTIVE with USER.DEACTIVATED. */
  deactivate(id: string): User {
    const user = this.requireUser(id)
    if (user.status !== 'ACTIVE') throw new ApiProblem(409, `user_id: user is ${user.status}; only an ACTIVE user can be deactivated`)
    const next = this.update(user, { status: 'INACTIVE' })
    this.options.publish([{ type: 'USER.DEACTIVATED', created_at: this.options.clock.nowIso(), object: next }])
    return next
  }

  /** Back office: INACTIVE -> ACTIVE with USER.ACTIVATED. */
  reactivate(id: string): User {
    const user = this.requireUser(id)
    if (user.status !== 'INACTIVE') throw new ApiProblem(409, `user_id: user is ${user.status}; only an INACTIVE user can be reactivated`)
    const next = this.update(user, { status: 'ACTIVE' })
    this.options.publish([{ type: 'USER.ACTIVATED', created_at: this.options.clock.nowIso(), object: next }])
    return next
  }

  /** Back office: fields change at once (`updated_at` moves, USER.DATA_CHANGED); a pending client change stays pending. */
  backOfficeChange(id: string, fields: BackOfficeFields): User {
    const user = this.requireUser(id)
    if (isOffboarded(user)) throw new ApiProblem(409, `user_id: user is ${user.status}; the back office cannot change it`)
    const next = this.update(user, fields)
    this.options.publish([{ type: 'USER.DATA_CHANGED', created_at: this.options.clock.nowIso(), object: next }])
    return next
  }

  /** Back office offboarding: as DELETE, or straight through to OFFBOARDED (both events) when `immediately`. */
  backOfficeOffboard(id: string, immediately: boolean): User {
    const next = this.offboard(id)
    if (!immediately || !this.completeOffboarding(id)) return next
    return this.requireUser(id)
  }

  /** Resumes offboarding users loaded from a state file. */
  scheduleOffboarded(id: string): void {
    this.offboarding.set(
      id,
      setTimeout(() => this.completeOffboarding(id), this.options.offboardDelayMs),
    )
  }

  completeOffboarding(id: string): boolean {
    const timer = this.offboarding.get(id)
    if (timer === undefined) return false
    clearTimeout(timer)
    this.offboarding.delete(id)
    const user = this.options.users.get(id)
    if (user?.status !== 'OFFBOARDING') return false
    const next = this.update(user, { status: 'OFFBOARDED' })
    this.options.publish([{ type: 'USER.OFFBOARDED', created_at: this.options.clock.nowIso(), object: next }])
    return true
  }

  completeAllOffboarding(): number {
    return [...this.offboarding.keys()].filter((id) => this.completeOffboarding(id)).length
  }

  /**
   * 409 names its cause (operators and tests read it; clients read the user back): the
   * user is not ACTIVE (its status is said), or a change is already pending for it.
   */
  requestChange(id: string, body: DataChangeBody): void {
    const user = this.requireUser(id)
    if (user.status !== 'ACTIVE')
      throw new ApiProblem(409, `user_id: user is ${user.status}, not ACTIVE; data changes are accepted for ACTIVE users only`)
    if (this.changes.has(id))
      throw new ApiProblem(
        409,
        'user_id: a data change for this user is already pending; wait for its USER.DATA_CHANGED or USER.DATA_CHANGE_FAILED',
      )
    this.schedule(id, body, this.rejectNext.shift(), Date.now() + this.options.dataChangeDelayMs)
    this.received.push({ userId: id, body })
    if (this.received.length > RECEIVED_KEPT) this.received.shift()
    this.options.onChange()
  }

  /** The data-change requests accepted lately, oldest first. */
  receivedChanges(): readonly { readonly userId: string; readonly body: DataChangeBody }[] {
    return [...this.received]
  }

  /** Pending data changes, for the state file. */
  savedChanges(): SavedChange[] {
    return [...this.changes].map(([userId, change]) => ({
      userId,
      body: change.body,
      rejectReason: change.rejectReason,
      dueAt: change.dueAt,
    }))
  }

  /** Resumes a pending change loaded from a state file; one already due applies at once. */
  restoreChange(saved: SavedChange): void {
    if (this.options.users.get(saved.userId) === undefined || this.changes.has(saved.userId)) return
    this.schedule(saved.userId, saved.body, saved.rejectReason, saved.dueAt)
  }

  /** The next `count` data-change requests are refused with `reason` when they come due. */
  rejectNextChanges(reason: string, count = 1): void {
    for (let i = 0; i < count; i += 1) this.rejectNext.push(reason)
  }

  applyChange(id: string): boolean {
    const pending = this.changes.get(id)
    if (pending === undefined) return false
    clearTimeout(pending.timer)
    this.changes.delete(id)
    this.options.onChange()
    const user = this.options.users.get(id)
    if (user === undefined) return false
    // A user offboarded or deactivated while the change waited cannot take it any more.
    const reason = pending.rejectReason ?? (user.status === 'ACTIVE' ? undefined : `user is ${user.status}`)
    if (reason !== undefined) {
      this.options.publish([{ type: 'USER.DATA_CHANGE_FAILED', created_at: this.options.clock.nowIso(), object: { user_id: id, reason } }])
      return true
    }
    const fields = Object.fromEntries(Object.entries(pending.body).filter(([key, value]) => !PROOF_FIELDS.has(key) && value !== undefined))
    const next = this.update(user, fields)
    this.options.publish([{ type: 'USER.DATA_CHANGED', created_at: this.options.clock.nowIso(), object: next }])
    return true
  }

  applyAllChanges(): number {
    return [...this.changes.keys()].filter((id) => this.applyChange(id)).length
  }

  get pendingChanges(): number {
    return this.changes.size
  }

  get pendingOffboardings(): number {
    return this.offboarding.size
  }

  /** Stops every timer but keeps what is pending (close: the state file saves it). */
  stopTimers(): void {
    for (const timer of this.offboarding.values()) clearTimeout(timer)
    for (const change of this.changes.values()) clearTimeout(change.timer)
  }

  reset(): void {
    this.stopTimers()
    this.offboarding.clear()
    this.changes.clear()
    this.rejectNext = []
  }

  private schedule(id: string, body: DataChangeBody, rejectReason: string | undefined, dueAt: number): void {
    const timer = setTimeout(() => this.applyChange(id), Math.max(0, dueAt - Date.now()))
    this.changes.set(id, { body, rejectReason, dueAt, timer })
  }

  private requireUser(id: string): User {
    const user = this.options.users.get(id)
    if (user === undefined) throw new ApiProblem(404, `user_id: no user ${id}`)
    return user
  }

  private update(user: User, fields: Partial<User>): User {
    const next: User = { ...user, ...fields, updated_at: this.options.clock.nowIso() }
    this.options.users.replace(next)
    this.options.onChange()
    return next
  }
}
