/**
 * The shapes of every row the renderer's database holds: cached users (server truth or a
 * local draft), outbox entries (a readonly discriminated union by `kind`), the applied-event
 * log, sync state and each entry's history. Zod schemas exist only where rows are parsed at
 * an edge: rows written by an older schema version, read back in an upgrade.
 */
import { z } from 'zod'
import { FieldErrorSchema } from '../../../shared/api-result'
import { CreateUserBodySchema } from '../../../shared/schemas/create-user'
import { DataChangeSchema } from '../../../shared/schemas/data-change'
import { ProblemSchema } from '../../../shared/schemas/problem'
import { USER_STATUSES, UserSchema, type User, type UserStatus } from '../../../shared/schemas/user'
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import type { DataChange } from '../../../shared/schemas/data-change'
import type { FieldError } from '../../../shared/api-result'
import type { Problem } from '../../../shared/schemas/problem'

/** A user created on this device and not yet accepted by the API is keyed `local-<uuid>`. */
export const LOCAL_KEY_PREFIX = 'local-'
export const isLocalKey = (key: string): boolean => key.startsWith(LOCAL_KEY_PREFIX)

/** `CREATING`: only a local draft exists; the API has not answered the create yet. */
export type RowStatus = UserStatus | 'CREATING'

export interface UserRow {
  /** The server id, or a local id until the create is accepted (then the row is re-keyed). */
  readonly key: string
  readonly serverId: string | null
  /** The last server truth; null while the user exists only locally. */
  readonly user: User | null
  /** The queued create's body, shown until the server answers. */
  readonly draft: CreateUserBody | null
  /** Lowercase "last first": the list's sort key. */
  readonly name: string
  readonly status: RowStatus
  readonly created_at: string
  readonly updated_at: string
  /** Lowercase city, for filtering and sorting. */
  readonly city: string
  /** Lowercase words of name, city and id: a multiEntry index searched by prefix. */
  readonly words: readonly string[]
  /** The full reconcile run that last saw this row on the server (0: never). */
  readonly seenRun: number
  /** Local clock (ms) of the last sync write, so a reconcile never removes a row it could not have seen. */
  readonly touchedAt: number
}

export const OUTBOX_KINDS = ['create', 'dataChange', 'offboard'] as const
export type OutboxKind = (typeof OUTBOX_KINDS)[number]

/**
 * queued: waiting to be sent (maybe after `nextAttemptAt`); sending: handed to the transport;
 * awaiting: a data change the API accepted (202), waiting for its event or a read-back;
 * parked: a permanent failure, waiting for the user to edit, retry or discard it.
 * A finished entry is deleted; its history stays.
 */
export const OUTBOX_STATES = ['queued', 'sending', 'awaiting', 'parked'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

export interface OutboxError {
  readonly kind: string
  readonly message: string
  readonly status?: number
  readonly fieldErrors: readonly FieldError[]
  readonly problem?: Problem
}

interface OutboxEntryBase {
  /** Auto-increment: the global queue order (per user it is the lane order). */
  readonly seq?: number
  readonly id: string
  readonly userKey: string
  readonly idempotencyKey: string
  readonly state: OutboxState
  readonly attempts: number
  /** Local ms before which the entry is not sent (backoff); 0: at once. */
  readonly nextAttemptAt: number
  readonly lastError: OutboxError | null
  readonly createdAt: number
  readonly updatedAt: number
  /** When the first send went out: a create older than the key lifetime reads back first. */
  readonly firstSentAt: number | null
  /** When the API accepted a data change (202): the read-back timeout counts from here. */
  readonly acceptedAt: number | null
}

export interface CreateEntry extends OutboxEntryBase {
  readonly kind: 'create'
  readonly payload: { readonly body: CreateUserBody }
}
export interface DataChangeEntry extends OutboxEntryBase {
  readonly kind: 'dataChange'
  readonly payload: { readonly change: DataChange }
}
export interface OffboardEntry extends OutboxEntryBase {
  readonly kind: 'offboard'
  readonly payload: Readonly<Record<string, never>>
}
export type OutboxEntry = CreateEntry | DataChangeEntry | OffboardEntry

export interface AppliedEvent {
  readonly id: string
  readonly appliedAt: number
}

/** One row per key; see SyncStateKey. */
export interface SyncStateRow {
  readonly key: string
  readonly value: unknown
}

export const HISTORY_STEPS = [
  'queued',
  'sent',
  'accepted',
  'retry',
  'event',
  'applied',
  'failed',
  'parked',
  'edited',
  'resent',
  'discarded',
  'cancelled',
  'rekeyed',
] as const
export type HistoryStep = (typeof HISTORY_STEPS)[number]

export interface HistoryRow {
  readonly id?: number
  readonly entryId: string
  readonly userKey: string
  readonly kind: OutboxKind
  readonly step: HistoryStep
  readonly at: number
  /** Why, in words a person can read (the API's message, the event's reason). */
  readonly detail: string
  /**
   * When the attempt this step ends went out, and its number: kept on the step that ends it
   * rather than in a "sent" row of its own (one write fewer per send; see expandHistory).
   */
  readonly sentAt?: number
  readonly attempt?: number
  /** A create's applied step: the server id its user got (shown as a "rekeyed" step). */
  readonly rekeyedTo?: string
}

// --- Edge schemas: rows written by schema version 1, read back in the version 2 upgrade. ---

const OutboxErrorV1Schema = z.object({
  kind: z.string(),
  message: z.string(),
  status: z.number().optional(),
  fieldErrors: z.array(FieldErrorSchema).default([]),
  problem: ProblemSchema.optional(),
})

const entryV1Base = {
  seq: z.number().int(),
  id: z.string().min(1),
  userKey: z.string().min(1),
  idempotencyKey: z.string().min(1),
  state: z.enum(OUTBOX_STATES),
  attempts: z.number().int().min(0).default(0),
  nextAttemptAt: z.number().default(0),
  lastError: OutboxErrorV1Schema.nullable().default(null),
  createdAt: z.number(),
  updatedAt: z.number(),
}

/** Version 1 entries had no firstSentAt / acceptedAt; those default to null. */
export const OutboxEntryV1Schema = z.discriminatedUnion('kind', [
  z.object({ ...entryV1Base, kind: z.literal('create'), payload: z.object({ body: CreateUserBodySchema }) }),
  z.object({ ...entryV1Base, kind: z.literal('dataChange'), payload: z.object({ change: DataChangeSchema }) }),
  z.object({ ...entryV1Base, kind: z.literal('offboard'), payload: z.object({}).default({}) }),
])

// --- Edge schemas for rows of the current version, read back from main's journal. ---

const entryBase = {
  ...entryV1Base,
  seq: z.number().int().optional(),
  firstSentAt: z.number().nullable(),
  acceptedAt: z.number().nullable(),
}

/** A current outbox entry; `seq` is optional because a restored entry takes a new place at the queue's end. */
export const OutboxEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    ...entryBase,
    kind: z.literal('create'),
    payload: z.object({ body: CreateUserBodySchema }),
  }),
  z.object({
    ...entryBase,
    kind: z.literal('dataChange'),
    payload: z.object({ change: DataChangeSchema }),
  }),
  z.object({
    ...entryBase,
    kind: z.literal('offboard'),
    payload: z.object({}).default({}),
  }),
])

export const UserRowSchema = z.object({
  key: z.string().min(1),
  serverId: z.string().nullable(),
  user: UserSchema.nullable(),
  draft: CreateUserBodySchema.nullable(),
  name: z.string(),
  status: z.enum([...USER_STATUSES, 'CREATING']),
  created_at: z.string(),
  updated_at: z.string(),
  city: z.string(),
  words: z.array(z.string()),
  seenRun: z.number(),
  touchedAt: z.number(),
})
