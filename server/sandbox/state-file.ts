/**
 * Optional persistence: users, subscriptions and the webhook signing key in one JSON
 * file, so a restarted simulator keeps its state. Read with zod; written atomically.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { parseUnknown } from '../../shared/parse'
import { UserSchema, WebhookSubscriptionSchema, type User, type WebhookSubscription } from '../../shared/schemas'

const STATE_VERSION = 1

export const StateFileSchema = z.object({
  version: z.literal(STATE_VERSION),
  webhook_key: z.object({ key_id: z.string().min(1), private_key_pem: z.string().min(1) }),
  users: z.array(UserSchema),
  subscriptions: z.array(WebhookSubscriptionSchema),
})
export type StateFile = z.infer<typeof StateFileSchema>

export function readStateFile(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined
  return parseUnknown(StateFileSchema, JSON.parse(readFileSync(path, 'utf8')) as unknown, `sandbox state ${path}`)
}

export function writeStateFile(
  path: string,
  state: { webhookKeyId: string; webhookKeyPem: string; users: readonly User[]; subscriptions: readonly WebhookSubscription[] },
): void {
  const file: StateFile = {
    version: STATE_VERSION,
    webhook_key: { key_id: state.webhookKeyId, private_key_pem: state.webhookKeyPem },
    users: [...state.users],
    subscriptions: [...state.subscriptions],
  }
  // Write then rename: a crash mid-write never leaves half a file.
  const temporary = `${path}.tmp`
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(temporary, JSON.stringify(file))
  renameSync(temporary, path)
}
