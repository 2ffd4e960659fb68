/**
 * Optional persistence: users, subscriptions, pending data changes and the webhook
 * signing key in one JSON file, so a restarted simulator keeps its state (and resumes
 * its timers). Read with zod; written atomically.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { parseUnknown } from '../../shared/parse'
import {
  DataChangeBodySchema,
  DateTimeSchema,
  UserSchema,
  UuidSchema,
  WebhookSubscriptionSchema,
  type User,
  type WebhookSubscription,
} from '../../shared/schemas'
import type { SavedChange } from './lifecycle'

const STATE_VERSION = 1

export const StateFileSchema = z.object({
  version: z.literal(STATE_VERSION),
  webhook_key: z.object({ key_id: z.string().min(1), private_key_pem: z.string().min(1) }),
  users: z.array(UserSchema),
  subscriptions: z.array(WebhookSubscriptionSchema),
  // Absent in files written before pending changes were kept: nothing pending then.
  pending_data_changes: z
    .array(
      z.strictObject({
        user_id: UuidSchema,
        body: DataChangeBodySchema,
        reject_reason: z.string().min(1).optional(),
        due_at: DateTimeSchema,
      }),
    )
    .default([]),
})
export type StateFile = z.infer<typeof StateFileSchema>

export function readStateFile(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined
  return parseUnknown(StateFileSchema, JSON.parse(readFileSync(path, 'utf8')) as unknown, `sandbox state ${path}`)
}

export function writeStateFile(
  path: string,
  state: {
    webhookKeyId: string
    webhookKeyPem: string
    users: readonly User[]
    subscriptions: readonly WebhookSubscription[]
    pendingDataChanges: readonly SavedChange[]
  },
): void {
  const file: StateFile = {
    version: STATE_VERSION,
    webhook_key: { key_id: state.webhookKeyId, private_key_pem: state.webhookKeyPem },
    users: [...state.users],
    subscriptions: [...state.subscriptions],
    pending_data_changes: state.pendingDataChanges.map((change) => ({
      user_id: change.userId,
      body: change.body,
      ...(change.rejectReason === undefined ? {} : { reject_reason: change.rejectReason }),
      due_at: new Date(change.dueAt).toISOString(),
    })),
  }
  // Write then rename: a crash mid-write never leaves half a file.
  const temporary = `${path}.tmp`
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(temporary, JSON.stringify(file))
  renameSync(temporary, path)
}

/** The state file's pending changes in the lifecycle's terms. */
export function savedChangesOf(state: StateFile): SavedChange[] {
  return state.pending_data_changes.map((change) => ({
    userId: change.user_id,
    body: change.body,
    rejectReason: change.reject_reason,
    dueAt: Date.parse(change.due_at),
  }))
}
