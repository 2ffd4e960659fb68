/**
 * The outbox screen's data: every pending and failed entry grouped by user, and the
 * person's decisions on a failed one (retry, edit and resend, send over a conflict, discard)
 * or on one not sent yet (edit, withdraw).
 */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import type { DataChange } from '../../../shared/schemas/data-change'
import { useLiveQuery } from '../composables/use-live-query'
import { discardEntry, editAndResend, retryEntry, sendAnyway } from '../db/outbox-repository'
import { getDatabase } from '../db/database'
import { listProofFileInfo, type ProofFileInfo } from '../db/proof-files'
import { listOutboxByUser, type OutboxGroup } from '../db/queries'
import type { OutboxEntry } from '../db/rows'
import type { SaveOutcome } from '../forms/save-outcome'
import { awaitDelivery } from './delivery'

function failure(e: unknown): SaveOutcome {
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) }
}

export const useOutboxStore = defineStore('outbox', () => {
  const groups = useLiveQuery<OutboxGroup[]>(() => listOutboxByUser, [])

  const entries = computed(() => groups.value.value.flatMap((g) => g.entries))
  /** The proof file each queued data change carries, if any: shown with its entry. */
  const proofFiles = useLiveQuery<ReadonlyMap<string, ProofFileInfo>>(() => () => listProofFileInfo(getDatabase()), new Map())

  function entry(entryId: string): OutboxEntry | undefined {
    return entries.value.find((e) => e.id === entryId)
  }

  async function retry(entryId: string): Promise<void> {
    await retryEntry(entryId)
  }

  async function discard(entryId: string, reason?: string): Promise<void> {
    await discardEntry(entryId, reason)
  }

  /** Sends a change held for a conflict over the other value. */
  async function sendOver(entryId: string): Promise<void> {
    await sendAnyway(entryId)
  }

  async function resendCreate(entryId: string, body: CreateUserBody): Promise<SaveOutcome> {
    try {
      await editAndResend(entryId, { body })
      return await awaitDelivery(entryId)
    } catch (e) {
      return failure(e)
    }
  }

  async function resendChange(entryId: string, change: DataChange): Promise<SaveOutcome> {
    try {
      await editAndResend(entryId, { change })
      return await awaitDelivery(entryId)
    } catch (e) {
      return failure(e)
    }
  }

  return {
    groups: groups.value,
    ready: groups.ready,
    proofFiles: proofFiles.value,
    entry,
    retry,
    discard,
    sendOver,
    resendCreate,
    resendChange,
  }
})
