/**
 * The one IPC contract between the renderer and main: method -> input schema -> output
 * schema, plus the events main pushes. The preload, the handlers in main, the web host
 * and the renderer's transport are all derived from it. Names are the object's keys.
 */
import { z } from 'zod'
import { apiResultSchema } from '../api-result'
import { DatabaseNameSchema } from '../api-target'
import { CreateUserBodySchema } from '../schemas/create-user'
import { DataChangeBodySchema } from '../schemas/data-change'
import { UserEventSchema } from '../schemas/events'
import { ListUsersQuerySchema, ListUsersResponseSchema } from '../schemas/list'
import { UserSchema } from '../schemas/user'
import { UuidSchema } from '../schemas/common'
import { PublicSettingsSchema, SettingsUpdateSchema } from '../settings'
import { ProofUploadedSchema, ProofUploadSchema } from '../proof-document'
import { JournalEntrySchema } from './journal'
import { BridgeSubscriptionStatusSchema } from '../schemas/bridge-feed'

const NoInput = z.undefined()
const Empty = z.null()

export const ConnectivityStateSchema = z.object({
  online: z.boolean(),
  /** ISO time of the last change of state. */
  since: z.string(),
})
export type ConnectivityState = z.infer<typeof ConnectivityStateSchema>

/**
 * One service's answer to "Test connection", as facts the renderer words in the person's
 * language: what happened, how many users the credentials see, and the answer's own text
 * (a status, the server's message) to show as written. `app_service`: main did not answer, so
 * nothing was tested (set by the renderer).
 */
export const CONNECTION_OUTCOMES = ['connected', 'not_configured', 'rejected', 'unreachable', 'error', 'app_service'] as const
export const ConnectionCheckSchema = z.object({
  ok: z.boolean(),
  outcome: z.enum(CONNECTION_OUTCOMES),
  users: z.number().int().nonnegative().optional(),
  detail: z.string().optional(),
})
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>

export const ConnectionTestSchema = z.object({ api: ConnectionCheckSchema, bridge: ConnectionCheckSchema })
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>

export const AppInfoSchema = z.object({ version: z.string(), platform: z.string(), transport: z.enum(['electron', 'web']) })
export type AppInfo = z.infer<typeof AppInfoSchema>

/** What the renderer tells main about its queue (tray badge, updater's "not while draining"). */
export const SyncStatusReportSchema = z.strictObject({
  pending: z.number().int().min(0),
  failed: z.number().int().min(0),
  draining: z.boolean(),
})
export type SyncStatusReport = z.infer<typeof SyncStatusReportSchema>

export const FeedBatchSchema = z.object({
  /** Opaque; handed back with `confirmFeedBatch` once the events are applied. */
  cursor: z.string(),
  events: z.array(UserEventSchema),
})
export type FeedBatch = z.infer<typeof FeedBatchSchema>

export const ipcContract = {
  createUser: { input: z.strictObject({ body: CreateUserBodySchema, idempotencyKey: UuidSchema }), output: apiResultSchema(UserSchema) },
  getUser: { input: z.strictObject({ userId: z.string().min(1) }), output: apiResultSchema(UserSchema) },
  listUsers: { input: ListUsersQuerySchema.partial(), output: apiResultSchema(ListUsersResponseSchema) },
  requestDataChange: { input: z.strictObject({ userId: UuidSchema, body: DataChangeBodySchema }), output: apiResultSchema(Empty) },
  offboardUser: { input: z.strictObject({ userId: UuidSchema }), output: apiResultSchema(Empty) },
  getConnectivity: { input: NoInput, output: ConnectivityStateSchema },
  confirmFeedBatch: { input: z.strictObject({ cursor: z.string().min(1) }), output: Empty },
  getSettings: { input: NoInput, output: PublicSettingsSchema },
  saveSettings: { input: SettingsUpdateSchema, output: PublicSettingsSchema },
  testConnection: { input: NoInput, output: ConnectionTestSchema },
  getAppInfo: { input: NoInput, output: AppInfoSchema },
  reportSyncStatus: { input: SyncStatusReportSchema, output: Empty },
  /** The journal is kept per database (so per API target): a restore only goes back where it came from. */
  writeJournal: { input: z.strictObject({ database: DatabaseNameSchema, entries: z.array(JournalEntrySchema) }), output: Empty },
  readJournal: { input: z.strictObject({ database: DatabaseNameSchema }), output: z.object({ entries: z.array(JournalEntrySchema) }) },
  /** A data change's proof file to the team server's document store; answers its link. */
  uploadProofDocument: { input: ProofUploadSchema, output: apiResultSchema(ProofUploadedSchema) },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export type IpcContract = typeof ipcContract
export type IpcMethod = keyof IpcContract
export type IpcInput<M extends IpcMethod> = z.input<IpcContract[M]['input']>
export type IpcOutput<M extends IpcMethod> = z.infer<IpcContract[M]['output']>

/** Events main pushes to the renderer. */
export const ipcEvents = {
  feedBatch: FeedBatchSchema,
  reconcileRequired: z.object({ reason: z.string() }),
  connectivityChanged: ConnectivityStateSchema,
  syncRequested: z.object({ source: z.enum(['menu', 'tray', 'resume']) }),
  /** The bridge's word on its webhook subscription, pushed when it changes: `live: false` means others' changes are not arriving. */
  liveUpdates: BridgeSubscriptionStatusSchema,
} as const satisfies Record<string, z.ZodType>

export type IpcEvents = typeof ipcEvents
export type IpcEventName = keyof IpcEvents
export type IpcEventPayload<E extends IpcEventName> = z.infer<IpcEvents[E]>

export const IPC_METHODS = Object.keys(ipcContract) as IpcMethod[]
export const IPC_EVENTS = Object.keys(ipcEvents) as IpcEventName[]

/** The wire names: one namespace so no other module's channel can collide. */
export const methodChannel = (method: IpcMethod) => `outpost:${method}` as const
export const eventChannel = (event: IpcEventName) => `outpost:event:${event}` as const

/** How a call fails at the IPC layer (as opposed to an API error, which is a value). */
export const IpcFailureSchema = z.object({
  code: z.enum(['invalid_input', 'invalid_output', 'forbidden_sender', 'internal']),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).default([]),
})
export type IpcFailure = z.infer<typeof IpcFailureSchema>

export const IpcEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), failure: IpcFailureSchema }),
])
export type IpcEnvelope = z.infer<typeof IpcEnvelopeSchema>
