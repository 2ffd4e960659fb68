/**
 * The drain's scheduler: finds runnable lane heads (one outbox scan, read in chunks) and
 * starts at most one entry per user, `concurrency` with a request in the air and `markAhead`
 * more marked "sending" and waiting for a network slot, so a freed slot sends at once. Kicks
 * coalesce into one pump per macrotask, so answers that a group commit resolves together
 * free their lanes first and one outbox read refills them all.
 */
import type { OutpostDb } from '../db/database'
import type { OutboxEntry } from '../db/rows'
import { NetworkSlots } from './network-slots'
import { RunnableSelector } from './next-runnable-entries'
import type { SendGate } from './send-gate'

/** Outbox entries read per request (per lane) while looking for runnable lane heads. */
const SCAN_CHUNK_PER_LANE = 4

export interface PumpOptions {
  readonly db: OutpostDb
  readonly gate: Pick<SendGate, 'online' | 'pausedUntil' | 'credentialsRejected' | 'noteError'>
  readonly now: () => number
  readonly concurrency: number
  readonly markAhead: number
  readonly awaitTimeoutMs: number
  /** Safety net: look at the outbox this often even without a signal. */
  readonly pollIntervalMs: number
  /** Runs one entry to its end (its commit included). */
  readonly run: (entry: OutboxEntry) => Promise<void>
  /** Whether the pump may work: the engine runs and holds the drain lock. */
  readonly active: () => boolean
  /** Lanes started or finished, or the pump looked and found nothing to do. */
  readonly onChange: () => void
}

export interface Pump {
  /** Lanes with an entry running (marked and waiting for a slot, sending, or committing). */
  readonly inFlight: number
  /** Asks for a pump on the next macrotask. */
  kick(): void
  /** Waits for a network slot for the entry's lane. */
  acquireSlot(entry: OutboxEntry): Promise<void>
  /** The entry made its last API call: its slot may go to the next entry. */
  answered(entry: OutboxEntry): void
  /** Resolves when every entry running now has settled. */
  settled(): Promise<unknown>
  close(): void
}

export function createPump(options: PumpOptions): Pump {
  const { db, gate, now, concurrency, markAhead, active, onChange } = options
  const inFlight = new Map<string, Promise<void>>()
  const slots = new NetworkSlots(concurrency)
  /** Runnable lane heads from the last outbox scan, not started yet. */
  let candidates: OutboxEntry[] = []
  let closed = false
  let kickScheduled = false
  let pumping = false
  let pumpAgain = false
  let wakeTimer: ReturnType<typeof setTimeout> | null = null

  function kick(): void {
    if (closed || !active() || kickScheduled) return
    kickScheduled = true
    setTimeout(() => {
      kickScheduled = false
      pump()
    }, 0)
  }

  function schedule(at: number | null): void {
    if (wakeTimer !== null) clearTimeout(wakeTimer)
    wakeTimer = null
    if (closed) return
    const delay = at === null ? options.pollIntervalMs : Math.min(Math.max(0, at - now()), options.pollIntervalMs)
    wakeTimer = setTimeout(() => {
      wakeTimer = null
      kick()
    }, delay)
  }

  function pump(): void {
    if (closed || !active()) return
    if (pumping) {
      pumpAgain = true
      return
    }
    pumping = true
    void loop().finally(() => {
      pumping = false
    })
  }

  async function loop(): Promise<void> {
    try {
      do {
        pumpAgain = false
        await pumpOnce()
      } while (pumpAgain && !closed)
    } catch (error) {
      if (closed) return
      gate.noteError(error instanceof Error ? error.message : String(error))
      console.warn('sync: pump failed', error)
      schedule(null)
    }
  }

  async function pumpOnce(): Promise<void> {
    if (closed) return
    const at = now()
    // Offline or refused credentials: nothing can leave, so nothing is marked (resumed by a kick).
    if (!gate.online || gate.credentialsRejected !== null) return onChange()
    if (gate.pausedUntil > at) {
      schedule(gate.pausedUntil)
      return onChange()
    }
    // Lane heads found by the last scan go first: no outbox read between an answer and the
    // next start (whose "sending" mark then shares the answer's group commit).
    startCandidates()
    const free = concurrency + markAhead - inFlight.size
    if (free <= 0) return onChange()
    // Runnable heads for the free slots, and as many again to start later without a read.
    const selector = new RunnableSelector({
      now: at,
      busyLanes: new Set(inFlight.keys()),
      capacity: free + concurrency,
      awaitTimeoutMs: options.awaitTimeoutMs,
    })
    // Read in chunks (one getAll each, not a cursor round trip per entry) and stop once full.
    const scanChunk = concurrency * SCAN_CHUNK_PER_LANE
    for (let after = 0; !selector.full;) {
      const chunk = await db.outbox.where('seq').above(after).limit(scanChunk).toArray()
      for (const entry of chunk) selector.offer(entry)
      if (chunk.length < scanChunk) break
      after = chunk.at(-1)?.seq ?? after
    }
    if (closed) return
    const { runnable, wakeAt } = selector.result()
    candidates = [...runnable]
    startCandidates()
    // A full selector stopped early: completions pump again, so only the poll is needed.
    schedule(selector.full ? null : wakeAt)
    onChange()
  }

  /**
   * Starts buffered lane heads: one per network slot, and `markAhead` more that are marked
   * while they wait for a slot. A buffered head may have been settled or discarded since
   * the scan; its "sending" mark re-reads it and then skips it.
   */
  function startCandidates(): void {
    while (inFlight.size < concurrency + markAhead && candidates.length > 0) {
      const entry = candidates.shift()!
      if (!inFlight.has(entry.userKey)) start(entry)
    }
  }

  function start(entry: OutboxEntry): void {
    const lane = entry.userKey
    const running = options
      .run(entry)
      .catch((error: unknown) => {
        if (!closed) console.warn('sync: entry failed to run', entry.id, error)
      })
      .finally(() => {
        slots.release(lane)
        inFlight.delete(lane)
        onChange()
        kick()
      })
    inFlight.set(lane, running)
  }

  return {
    get inFlight() {
      return inFlight.size
    },
    kick,
    acquireSlot: (entry) => slots.acquire(entry.userKey),
    answered: (entry) => slots.release(entry.userKey),
    settled: () => Promise.allSettled([...inFlight.values()]),
    close() {
      closed = true
      slots.close()
      if (wakeTimer !== null) clearTimeout(wakeTimer)
    },
  }
}
