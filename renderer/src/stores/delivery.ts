/**
 * After a save: did the server accept the entry at once ("sent") or is it waiting ("queued")?
 * Watches the entry's history for a short while; offline, or no answer in time, means
 * queued. A request that merely left the machine is not "sent": it may still fail or time out.
 */
import { liveQuery } from 'dexie'
import { getEntryHistory, getSyncOverview } from '../db/queries'
import type { SaveOutcome } from '../forms/save-outcome'

/** How long a save waits to say "sent" before settling for "queued". */
export const SEND_WAIT_MS = 4_000

/** Steps that mean the server accepted the entry (a create's answer, a change's 202, its event). */
const ACCEPTED_STEPS = new Set(['accepted', 'event', 'applied', 'rekeyed'])

export async function awaitDelivery(entryId: string, waitMs: number = SEND_WAIT_MS): Promise<SaveOutcome> {
  const overview = await getSyncOverview()
  if (!overview.status.online) return { kind: 'queued' }
  return new Promise<SaveOutcome>((resolve) => {
    let done = false
    const finish = (outcome: SaveOutcome) => {
      if (done) return
      done = true
      clearTimeout(timer)
      subscription.unsubscribe()
      resolve(outcome)
    }
    const timer = setTimeout(() => finish({ kind: 'queued' }), waitMs)
    const subscription = liveQuery(() => getEntryHistory(entryId)).subscribe({
      next: (steps) => {
        if (steps.some((s) => ACCEPTED_STEPS.has(s.step))) finish({ kind: 'sent' })
        // A permanent failure is not "queued": the entry now waits in the outbox for a decision.
        const parked = steps.find((s) => s.step === 'parked')
        if (parked !== undefined) finish({ kind: 'error', message: parked.detail })
      },
      error: () => finish({ kind: 'queued' }),
    })
  })
}
