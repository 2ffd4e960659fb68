/**
 * User lifecycle as settled for this project: create -> ACTIVE (USER.CREATED, then
 * USER.ACTIVATED); DELETE -> OFFBOARDING now, OFFBOARDED after a delay; a data change is
 * applied (USER.DATA_CHANGED) or refused (USER.DATA_CHANGE_FAILED) after a delay, one
 * pending change per user. Timers are owned here and cleared on close.
 */
import { randomUUID } from 'node:crypto'
import type { CreateUserBody, DataChangeBody, User } from '../../shared/schemas'
import type { Clock } from './clock'
import type { EventDraft } from './dispatcher'
import { ApiProblem } from './problem'
import type { UserStore } from './user-store'

// Proof fields document a change; they are not user fields.
const PROOF_FIELDS = new Set(['issuance_date', 'data_download_link', 'document_type'])

interface PendingChange {
  readonly body: DataChangeBody
  readonly rejectReason: string | undefined
  readonly timer: NodeJS.Timeout
}

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

  offboard(id: string): void {
    const user = this.requireUser(id)
    if (user.status === 'OFFBOARDING' || user.status === 'OFFBOARDED') throw new ApiProblem(409, `user_id: user is already ${user.status}`)
    const next = this.update(user, { status: 'OFFBOARDING' })
    this.options.publish([{ type: 'USER.OFFBOARDING_INITIATED', created_at: this.options.clock.nowIso(), object: next }])
    this.scheduleOffboarded(id)
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

  requestChange(id: string, body: DataChangeBody): void {
    const user = this.requireUser(id)
    if (user.status === 'OFFBOARDING' || user.status === 'OFFBOARDED') throw new ApiProblem(409, `user_id: user is ${user.status}`)
    if (this.changes.has(id)) throw new ApiProblem(409, 'user_id: a data change for this user is still pending')
    const timer = setTimeout(() => this.applyChange(id), this.options.dataChangeDelayMs)
    this.changes.set(id, { body, rejectReason: this.rejectNext.shift(), timer })
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
    const user = this.options.users.get(id)
    if (user === undefined) return false
    // A user offboarded while the change waited cannot take it any more.
    const offboarded = user.status === 'OFFBOARDING' || user.status === 'OFFBOARDED'
    const reason = pending.rejectReason ?? (offboarded ? `user is ${user.status}` : undefined)
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

  reset(): void {
    for (const timer of this.offboarding.values()) clearTimeout(timer)
    for (const change of this.changes.values()) clearTimeout(change.timer)
    this.offboarding.clear()
    this.changes.clear()
    this.rejectNext = []
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
