/**
 * The open user's detail: the cached row with its pending overlay, and the history of the
 * entries this device queued for it. Follows the user when a local key is replaced by the
 * server id. Opening a server user while online reads it fresh from the API (the cache may
 * be old) and remembers when. Actions queue changes through the outbox repository.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { DataChange } from '../../../shared/schemas/data-change'
import { useLiveQuery } from '../composables/use-live-query'
import { enqueueDataChange, enqueueOffboard } from '../db/outbox-repository'
import type { NewProofFile } from '../db/proof-files'
import { getDatabase } from '../db/database'
import { getEntryHistory, getUser, getUserHistory, type UserDetail } from '../db/queries'
import { isLocalKey, type HistoryRow } from '../db/rows'
import { upsertFromServer } from '../db/users-repository'
import { getTransport } from '../transport'
import type { SaveOutcome } from '../forms/save-outcome'
import { awaitDelivery } from './delivery'

export const useUserDetailStore = defineStore('userDetail', () => {
  const userKey = ref<string | null>(null)
  /** When the open user was last read from the API in this session (ms); null: shown from the cache. */
  const fetchedAt = ref<number | null>(null)
  const detail = useLiveQuery<UserDetail | undefined>(() => {
    const key = userKey.value
    return async () => (key === null ? undefined : getUser(key))
  }, undefined)
  const history = useLiveQuery<HistoryRow[]>(() => {
    const key = userKey.value
    return async () => (key === null ? [] : getUserHistory(key))
  }, [])

  // The create was accepted: the row and its history now live under the server id. The
  // entries we saw under the local key still name it in their `rekeyed` step.
  let seenEntryIds: string[] = []
  watch(detail.value, async (current) => {
    if (current !== undefined) {
      seenEntryIds = current.entries.map((e) => e.id)
      return
    }
    const from = userKey.value
    for (const entryId of seenEntryIds) {
      const rekeyed = (await getEntryHistory(entryId)).find((s) => s.step === 'rekeyed' && s.detail !== '')
      if (rekeyed !== undefined && userKey.value === from) {
        userKey.value = rekeyed.detail
        return
      }
    }
  })

  /** The change this screen just queued: its own outcome message speaks for it, not the "earlier change waiting" banner. */
  const justQueued = ref<string | null>(null)
  /** An earlier data change of this user is still in flight: the API takes one at a time. */
  const changeWaiting = computed(() =>
    (detail.value.value?.entries ?? []).some((e) => e.kind === 'dataChange' && e.id !== justQueued.value),
  )

  function open(key: string, online = false): void {
    if (key !== userKey.value) {
      seenEntryIds = []
      fetchedAt.value = null
    }
    // A screen opened anew: a change queued before is an earlier one now.
    justQueued.value = null
    userKey.value = key
    if (online && !isLocalKey(key)) void refresh(key)
  }

  /** Reads the user from the API; the cache takes it unless it holds something newer. Offline or refused: the cache stays. */
  async function refresh(key: string): Promise<void> {
    try {
      const result = await getTransport().getUser({ userId: key })
      if (!result.ok || userKey.value !== key) return
      const db = getDatabase()
      const now = Date.now()
      await db.transaction('rw', db.users, () => upsertFromServer(db, result.value, now))
      fetchedAt.value = now
    } catch (error) {
      console.warn('user detail: fresh read failed; showing the cached user', error)
    }
  }

  /** `proof`: a file attached as the change's proof, stored with the entry. */
  async function requestChange(change: DataChange, proof?: NewProofFile): Promise<SaveOutcome> {
    const key = userKey.value
    if (key === null) return { kind: 'error', message: 'no user open' }
    try {
      const { entryId } = await enqueueDataChange(key, change, undefined, undefined, proof)
      justQueued.value = entryId
      return await awaitDelivery(entryId)
    } catch (e) {
      return { kind: 'error', message: e instanceof Error ? e.message : String(e) }
    }
  }

  /** Queues the offboarding; true when the user only existed locally and is now gone. */
  async function offboard(): Promise<boolean> {
    const key = userKey.value
    if (key === null) return false
    const result = await enqueueOffboard(key)
    return result.cancelledLocally
  }

  return {
    userKey,
    detail: detail.value,
    ready: detail.ready,
    history: history.value,
    changeWaiting,
    fetchedAt,
    open,
    requestChange,
    offboard,
  }
})
