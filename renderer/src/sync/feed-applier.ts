/**
 * Applies the bridge's feed batches one after another (in arrival order), then confirms each
 * batch's cursor: only once its events are committed may the bridge forget them. Counts the
 * batches being applied, for the status ("pulling").
 */
import type { FeedBatch } from '../../../shared/ipc/contract'
import type { OutpostDb } from '../db/database'
import { applyFeedBatch, type BatchReport } from './apply-feed-batch'
import type { SyncTransport } from './transport'

export interface FeedApplierOptions {
  readonly db: OutpostDb
  readonly transport: Pick<SyncTransport, 'confirmFeedBatch'>
  readonly now: () => number
  readonly isStopped: () => boolean
  /** The pulling count changed (the engine publishes its status). */
  readonly onChange: () => void
  /** A batch applied new events: outbox entries may have been settled or parked. */
  readonly onApplied: () => void
}

export interface FeedApplier {
  /** Batches being applied or waiting for an earlier one. */
  readonly pulling: number
  apply(batch: FeedBatch): Promise<BatchReport>
  /** Resolves when every batch handed in so far has settled. */
  settled(): Promise<unknown>
}

export function createFeedApplier(options: FeedApplierOptions): FeedApplier {
  const { db, transport, now, isStopped, onChange, onApplied } = options
  let chain: Promise<unknown> = Promise.resolve()
  let pulling = 0

  return {
    get pulling() {
      return pulling
    },
    apply(batch) {
      const next = chain.then(async () => {
        pulling += 1
        onChange()
        try {
          const report = await applyFeedBatch(db, batch, now())
          if (!isStopped()) await transport.confirmFeedBatch({ cursor: batch.cursor })
          if (report.applied > 0) onApplied()
          return report
        } finally {
          pulling -= 1
          onChange()
        }
      })
      chain = next.catch(() => undefined)
      return next
    },
    settled: () => chain,
  }
}
