/**
 * A brief, unobtrusive notice when users change elsewhere (webhook events arriving through
 * the feed). The data itself updates through the database; this only says so, and fades.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { FeedBatch } from '../../../shared/ipc/contract'
import { usersChangedHere } from '../db/changed-here'
import { getTransport } from '../transport'

/** How long a notice stays before it fades. */
export const NOTICE_MS = 6_000

/** `restored`: unsent changes put back from main's journal after the database was lost (an update). */
export type Notice =
  | { readonly kind: 'one'; readonly name: string; readonly status: string }
  /**
   * The server confirmed what this device asked for: not news from elsewhere. `others`: users
   * changed elsewhere in the same batch, said after it (the answer to the person's own action
   * is never crowded out by them).
   */
  | { readonly kind: 'mine'; readonly name: string; readonly status: string; readonly others: number }
  | { readonly kind: 'many'; readonly count: number }
  | { readonly kind: 'restored'; readonly count: number }

/** `mine`: users whose events answer this device's own actions (usersChangedHere). */
export function noticeFor(batch: FeedBatch, mine: ReadonlySet<string> = new Set()): Notice | null {
  const users = new Map<string, { name: string; status: string }>()
  const own = new Map<string, { name: string; status: string }>()
  for (const event of batch.events) {
    if (event.type === 'USER.DATA_CHANGE_FAILED') continue
    const who = { name: `${event.object.first_name} ${event.object.last_name}`, status: event.object.status }
    if (mine.has(event.object.id)) own.set(event.object.id, who)
    else users.set(event.object.id, who)
  }
  const ownFirst = [...own.values()][0]
  if (ownFirst !== undefined) return { kind: 'mine', ...ownFirst, others: users.size }
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
    unsubscribe ??= getTransport().on('feedBatch', (batch) => void announce(batch))
  }

  async function announce(batch: FeedBatch): Promise<void> {
    // Read before the engine applies the batch (an applied offboarding leaves the outbox, its history stays).
    const mine = await usersChangedHere(batch.events, Date.now()).catch(() => new Set<string>())
    const next = noticeFor(batch, mine)
    if (next !== null) show(next)
  }

  return { notice, sequence, start, show, dismiss }
})
