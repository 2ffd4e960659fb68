/**
 * The SQLite store's single writer, in a worker thread (`sqlite-writer-thread.ts`): the
 * fsync of every commit happens there, so the event loop keeps accepting and verifying
 * deliveries meanwhile, and those form the next group commit. Requests are answered in
 * order; if the thread dies, every pending and later request fails (a 500: the API retries).
 */
import type { Worker } from 'node:worker_threads'
import type { ItemOutcome } from './group-commit'
import type { AppendResult, CompactionResult, RetentionPolicy } from './event-store'
import type { DeliveryToStore } from './sqlite-writes'
import { startTsWorker } from './ts-worker'

export type WriterRequest =
  | { readonly kind: 'append'; readonly deliveries: readonly DeliveryToStore[] }
  | { readonly kind: 'sighting'; readonly seq: number; readonly at: number }
  | { readonly kind: 'compact'; readonly policy: RetentionPolicy; readonly at: number }
  | { readonly kind: 'close' }

export interface WriterResults {
  readonly append: ReadonlyArray<ItemOutcome<AppendResult>>
  readonly sighting: null
  readonly compact: CompactionResult
  readonly close: null
}

export type WriterMessage = WriterRequest & { readonly id: number }
export type WriterReply =
  { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: unknown }

export interface SqliteWriter {
  request<R extends WriterRequest>(request: R): Promise<WriterResults[R['kind']]>
  /** Why the writer cannot write (its thread failed or ended), if it cannot. */
  readonly failure: Error | undefined
  /** Lets queued writes finish, closes the writer's connection and ends the thread. */
  close(): Promise<void>
}

export function startSqliteWriter(file: string): SqliteWriter {
  const worker: Worker = startTsWorker(new URL('./sqlite-writer-thread.ts', import.meta.url), { file })
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>()
  let nextId = 0
  let failure: Error | undefined

  const failAll = (error: Error): void => {
    failure ??= error
    for (const waiter of pending.values()) waiter.reject(failure)
    pending.clear()
  }
  worker.on('message', (reply: WriterReply) => {
    const waiter = pending.get(reply.id)
    pending.delete(reply.id)
    if (reply.ok) waiter?.resolve(reply.value)
    else waiter?.reject(reply.error)
  })
  worker.on('error', (error) => failAll(error))
  worker.on('exit', (code) => failAll(new Error(`the SQLite writer thread ended (exit code ${code})`)))

  const request = <R extends WriterRequest>(message: R): Promise<WriterResults[R['kind']]> => {
    if (failure !== undefined) return Promise.reject(failure)
    const id = (nextId += 1)
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      worker.postMessage({ ...message, id } satisfies WriterMessage)
    })
  }

  let closing: Promise<void> | undefined
  return {
    request,
    get failure() {
      return failure
    },
    close() {
      closing ??= (async () => {
        if (failure === undefined) await request({ kind: 'close' }).catch(() => undefined)
        await worker.terminate()
      })()
      return closing
    },
  }
}
