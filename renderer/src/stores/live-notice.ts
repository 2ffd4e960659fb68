/**
 * A brief, unobtrusive notice when users change elsewhere (webhook events arriving through
 * the feed). The data itself updates through the database; this only says so, and fades.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { FeedBatch } from '../../../shared/ipc/contract'
import { getTransport } from '../transport'

/** How long a notice stays before it fades. */
export const NOTICE_MS = 6_000

/** `restored`: unsent changes put back from main's journal after the database was lost (an update). */
export type Notice =
  | { readonly kind: 'one'; readonly name: string; readonly status: string }
  | { readonly kind: 'many'; readonly count: number }
  | { readonly kind: 'restored'; readonly count: number }

export function noticeFor(batch: FeedBatch): Notice | null {
  const users = new Map<string, { name: string; status: string }>()
  for (const event of batch.events) {
    if (event.type === 'USER.DATA_CHANGE_FAILED') continue
    users.set(event.object.id, { name: `${event.object.first_name} ${event.object.last_name}`, status: event.object.status })
  }
  const first = [...users.values()][0]
  if (first === undefined) return null
  return users.size === 1 ? { kind: 'one', ...first } : { kind: 'many', count: users.size }
}

export const useLiveNoticeStore = defineStore('liveNotice', () => {
  const notice = ref<Notice | null>(null)
  /** Bumped per notice so the page can wait for "a change arrived" as a named event. */
  const sequence = ref(0)
  let timer: ReturnType<typeof setTimeout> | undefined
  let unsubscribe: (() => void) | undefined

  function show(next: Notice): void {
    notice.value = next
    sequence.value += 1
    clearTimeout(timer)
    timer = setTimeout(() => (notice.value = null), NOTICE_MS)
  }

  function dismiss(): void {
    clearTimeout(timer)
    notice.value = null
  }

  function start(): void {
    unsubscribe ??= getTransport().on('feedBatch', (batch) => {
      const next = noticeFor(batch)
      if (next !== null) show(next)
    })
  }

  return { notice, sequence, start, show, dismiss }
})
