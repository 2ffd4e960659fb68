/** Starts the sync engine with test-sized delays, and pumps a fake API's events into it. */
import type { OutpostDb } from '../../../renderer/src/db/database'
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../../renderer/src/sync/engine'
import type { SyncTransport } from '../../../renderer/src/sync/transport'
import type { FeedBatch } from '../../../shared/ipc/contract'

export const TEST_TIMING = {
  backoff: { baseMs: 5, capMs: 40 },
  awaitTimeoutMs: 150,
  pollIntervalMs: 50,
  reconcileRetryMs: 50,
} as const

export function startEngine(db: OutpostDb, transport: SyncTransport, options: Partial<SyncEngineOptions> = {}): SyncEngine {
  const engine = createSyncEngine({ db, transport, autoReconcile: false, ...TEST_TIMING, ...options })
  engine.start()
  return engine
}

/** Feeds batches from `take` into the engine every few ms until stopped. */
export function pumpFeed(engine: SyncEngine, take: () => FeedBatch | null, everyMs = 10): () => Promise<void> {
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    if (stopped) return
    running = running.then(async () => {
      const batch = take()
      if (batch !== null && batch.events.length > 0 && !stopped) await engine.applyFeedBatch(batch).catch(() => undefined)
    })
  }, everyMs)
  return async () => {
    stopped = true
    clearInterval(timer)
    await running
  }
}
