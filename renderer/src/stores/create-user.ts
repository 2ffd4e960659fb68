/** Saving a new user: one outbox transaction, then "sent" or "queued" for the form to say. */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import { enqueueCreate } from '../db/outbox-repository'
import type { SaveOutcome } from '../forms/save-outcome'
import { awaitDelivery } from './delivery'

export const useCreateUserStore = defineStore('createUser', () => {
  /** The local key of the last user saved, for the "open it" link. */
  const lastUserKey = shallowRef<string | null>(null)

  async function save(body: CreateUserBody): Promise<SaveOutcome> {
    try {
      const { userKey, entryId } = await enqueueCreate(body)
      lastUserKey.value = userKey
      return await awaitDelivery(entryId)
    } catch (e) {
      return { kind: 'error', message: e instanceof Error ? e.message : String(e) }
    }
  }

  return { lastUserKey, save }
})
