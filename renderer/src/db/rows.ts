/**
 * The shapes of every row the renderer's database holds: cached users (server truth or a
 * local draft), outbox entries (a readonly discriminated union by `kind`), the applied-event
 * log, sync state and each entry's history. Each row has one zod schema and its type is
 * derived from it (`z.infer`): the same schema parses rows at an edge (rows written by an
 * older version, entries restored from main's journal).
 */
import { z } from 'zod'
import { FieldErrorSchema } from '../../../shared/api-result'
import { OUTBOX_KINDS, type OutboxKind } from '../../../shared/outbox-kinds'
import { CreateUserBodySchema } from '../../../shared/schemas/create-user'
import { DataChangeSchema } from '../../../shared/schemas/data-change'
import { ProblemSchema } from '../../../shared/schemas/problem'
import { PROOF_MAX_BYTES, ProofContentTypeSchema } from '../../../shared/proof-document'
import { USER_STATUSES, UserSchema, type UserStatus } from '../../../shared/schemas/user'

export { OUTBOX_KINDS, type OutboxKind }

/** A user created on this device and not yet accepted by the API is keyed `local-<uuid>`. */
export const LOCAL_KEY_PREFIX = 'local-'
export const isLocalKey = (key: string): boolean => key.startsWith(LOCAL_KEY_PREFIX)

/** `CREATING`: only a local draft exists; the API has not answered the create yet. */
export const ROW_STATUSES = [...USER_STATUSES, 'CREATING'] as const
export type RowStatus = UserStatus | 'CREATING'

export const UserRowSchema = z.object({
  /** The server id, or a local id until the create is accepted (then the row is re-keyed). */
  key: z.string().min(1),
  serverId: z.string().nullable(),
  /** The last server truth; null while the user exists only locally. */
  user: UserSchema.nullable(),
  /** The queued create's body, shown until the server answers. */
  draft: CreateUserBodySchema.nullable(),
  /** Lowercase "last first": the list's sort key. */
  name: z.string(),
  status: z.enum(ROW_STATUSES),
  created_at: z.string(),
  updated_at: z.string(),
  /** Lowercase city, for filtering and sorting. */
  city: z.string(),
  /** Lowercase words of name, city and id: a multiEntry index searched by prefix. */
  words: z.array(z.string()).readonly(),
  /** The full reconcile run that last saw this row on the server (0: never). */
  seenRun: z.number(),
  /** Local clock (ms) of the last sync write, so a reconcile never removes a row it could not have seen. */
  touchedAt: z.number(),
})
export type UserRow = Readonly<z.infer<typeof UserRowSchema>>

/**
 * queued: waiting to be sent (maybe after `nextAttemptAt`); sending: handed to the transport;
 * awaiting: a data change the API accepted (202), waiting for its event or a read-back;
 * parked: a permanent failure, waiting for the user to edit, retry or discard it.
 * A finished entry is deleted; its history stays. Transitions: outbox-state-machine.ts.
 */
export const OUTBOX_STATES = ['queued', 'sending', 'awaiting', 'parked'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

/** One field of a queued change that someone else changed meanwhile. */
export const FieldConflictSchema = z.object({
  field: z.string(),
  /** What the person saw when they queued the change. */
  base: z.unknown(),
  /** What the server holds now. */
  theirs: z.unknown(),
  /** What the change asks for. */
  mine: z.unknown(),
})
export type FieldConflict = Readonly<z.infer<typeof FieldConflictSchema>>

export const OutboxErrorSchema = z.object({
  kind: z.string(),
  message: z.string(),
  status: z.number().optional(),
  fieldErrors: z.array(FieldErrorSchema).readonly().default([]),
  problem: ProblemSchema.optional(),
  /** The user's status on the server when that made the entry impossible (not ACTIVE). */
  userStatus: z.enum(USER_STATUSES).optional(),
  /** When the server's user last changed (its updated_at), for "offboarded elsewhere on …". */
  changedAt: z.string().optional(),
  /** Fields someone else changed since the change was queued (kind "conflict"). */
  conflicts: z.array(FieldConflictSchema).readonly().optional(),
})
export type OutboxError = Readonly<z.infer<typeof OutboxErrorSchema>>

/** Fields every entry has, as schema version 1 stored them. */
const entryV1Base = {
  seq: z.number().int(),
  id: z.string().min(1),
  userKey: z.string().min(1),
  /** Minted at enqueue and reused on every retry. */
  idempotencyKey: z.string().min(1),
  state: z.enum(OUTBOX_STATES),
  attempts: z.number().int().min(0).default(0),
  /** Local ms before which the entry is not sent (backoff); 0: at once. */
  nextAttemptAt: z.number().default(0),
  lastError: OutboxErrorSchema.nullable().default(null),
  createdAt: z.number(),
  updatedAt: z.number(),
}

/**
 * What the person saw when they queued a data change: the server's updated_at and the value
 * of each field the change touches (with earlier pending changes laid over). Before sending,
 * a field that moved away from this base is a conflict, never overwritten silently.
 */
export const ChangeBaseSchema = z.object({
  updatedAt: z.string(),
  values: z.record(z.string(), z.unknown()),
})
export type ChangeBase = Readonly<z.infer<typeof ChangeBaseSchema>>

/** What each kind carries: one entry per kind, so a kind without a payload fails the build. */
const PAYLOADS = {
  create: z.object({ body: CreateUserBodySchema }),
  dataChange: z.object({
    change: DataChangeSchema,
    /** Absent in entries queued by older versions or for a user known only locally. */
    base: ChangeBaseSchema.nullable().optional(),
    /** The person chose to send it over a conflict. */
    override: z.boolean().optional(),
  }),
  offboard: z.object({}).default({}),
} as const satisfies Record<OutboxKind, z.ZodType>

function entrySchemas<B extends z.ZodRawShape>(base: B) {
  const of = <K extends OutboxKind>(kind: K) => z.object({ ...base, kind: z.literal(kind), payload: PAYLOADS[kind] })
  return [of('create'), of('dataChange'), of('offboard')] as const satisfies readonly { shape: { kind: z.ZodLiteral<OutboxKind> } }[]
}

/** Version 1 entries had no firstSentAt / acceptedAt; those default to null. */
export const OutboxEntryV1Schema = z.discriminatedUnion('kind', entrySchemas(entryV1Base))

/** A current outbox entry; `seq` is optional because a restored entry takes a new place at the queue's end. */
export const OutboxEntrySchema = z.discriminatedUnion(
  'kind',
  entrySchemas({
    ...entryV1Base,
    /** Auto-increment: the global queue order (per user it is the lane order). */
    seq: z.number().int().optional(),
    /** When the first send went out: a create older than the key lifetime reads back first. */
    firstSentAt: z.number().nullable(),
    /** When the API accepted a data change (202): the read-back timeout counts from here. */
    acceptedAt: z.number().nullable(),
    /** When a data change first started waiting for its confirmation: the deadline counts from here. */
    awaitingSince: z.number().nullable().optional(),
    /** Failed answers in a row (network failures and rejected credentials excluded): capped, then parked. */
    failures: z.number().int().min(0).optional(),
  }),
)
export type OutboxEntry = Readonly<z.infer<typeof OutboxEntrySchema>>
export type CreateEntry = Extract<OutboxEntry, { kind: 'create' }>
export type DataChangeEntry = Extract<OutboxEntry, { kind: 'dataChange' }>
export type OffboardEntry = Extract<OutboxEntry, { kind: 'offboard' }>

// Every kind in OUTBOX_KINDS has an entry schema (and no schema names another kind).
type EntryKinds = OutboxEntry['kind']
const everyKindHasASchema: [EntryKinds] extends [OutboxKind] ? ([OutboxKind] extends [EntryKinds] ? true : never) : never = true
void everyKindHasASchema

export const AppliedEventSchema = z.object({ id: z.string(), appliedAt: z.number() })
export type AppliedEvent = Readonly<z.infer<typeof AppliedEventSchema>>

/** One row per key; see SyncStateKey. */
export const SyncStateRowSchema = z.object({ key: z.string(), value: z.unknown() })
export type SyncStateRow = Readonly<z.infer<typeof SyncStateRowSchema>>

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

export const HistoryRowSchema = z.object({
  id: z.number().optional(),
  entryId: z.string(),
  userKey: z.string(),
  kind: z.enum(OUTBOX_KINDS),
  step: z.enum(HISTORY_STEPS),
  at: z.number(),
  /** Why, in words a person can read (the API's message, the event's reason). */
  detail: z.string(),
  /**
   * When the attempt this step ends went out, and its number: kept on the step that ends it
   * rather than in a "sent" row of its own (one write fewer per send; see expandHistory).
   */
  sentAt: z.number().optional(),
  attempt: z.number().optional(),
  /** A create's applied step: the server id its user got (shown as a "rekeyed" step). */
  rekeyedTo: z.string().optional(),
})
export type HistoryRow = Readonly<z.infer<typeof HistoryRowSchema>>

/**
 * A proof document attached to a queued data change, kept beside its entry until the entry
 * is finished or discarded. `uploadedLink`: the document store already has it (an upload
 * done but the change not sent yet is not uploaded twice after a crash).
 */
export const ProofFileRowSchema = z.object({
  entryId: z.string().min(1),
  name: z.string(),
  contentType: ProofContentTypeSchema,
  bytes: z.instanceof(Uint8Array).refine((b) => b.length > 0 && b.length <= PROOF_MAX_BYTES, 'must be 1 byte to 10 MiB'),
  uploadedLink: z.string().optional(),
  addedAt: z.number(),
})
export type ProofFileRow = Readonly<z.infer<typeof ProofFileRowSchema>>
