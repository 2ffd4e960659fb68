/**
 * Group commit: outbox writes that become ready together (answers arriving from several
 * lanes at once) share one IndexedDB transaction, so a strict-durability flush is paid per
 * group instead of per entry. Each job keeps its own all-or-nothing effect: if a group
 * fails, its jobs run again one by one, each in its own transaction (jobs re-read state,
 * so a rerun after the abort is safe).
 */
import type { OutpostDb } from '../db/database'

export type Committer = <T>(job: () => Promise<T>) => Promise<T>

/** No grouping: each job opens its own transaction (tests, tools). */
export const commitEach: Committer = (job) => job()

interface Pending {
  readonly job: () => Promise<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

export function createGroupCommitter(db: OutpostDb): Committer {
  let queue: Pending[] = []
  let flushing = false

  async function flush(): Promise<void> {
    flushing = true
    try {
      while (queue.length > 0) {
        const group = queue
        queue = []
        const results: unknown[] = []
        try {
          // The jobs join this transaction and run side by side: each belongs to a different
          // lane (one entry per user in flight), so they touch different entries and users.
          await db.transaction('rw', [db.users, db.outbox, db.history], async () => {
            results.push(...(await Promise.all(group.map((item) => item.job()))))
          })
          group.forEach((item, i) => item.resolve(results[i]))
        } catch {
          for (const item of group) {
            try {
              item.resolve(await item.job())
            } catch (error) {
              item.reject(error)
            }
          }
        }
      }
    } finally {
      flushing = false
    }
  }

  return <T>(job: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ job, resolve: resolve as (value: unknown) => void, reject })
      // Wait one macrotask so answers arriving together land in one group.
      if (!flushing) {
        flushing = true
        setTimeout(() => void flush(), 0)
      }
    })
}
