/**
 * One drainer at a time: several windows or web-host tabs share one IndexedDB, and two
 * drainers would send the same entry twice. Uses Web Locks (held until released, handed to
 * the next tab when the holder closes); where the API is missing (Node tests, old
 * browsers) an in-process lock by name keeps engines in the same process apart.
 */

export type ReleaseLock = () => void

interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>
}

function webLocks(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator
  const locks = nav?.locks
  return typeof locks?.request === 'function' ? locks : undefined
}

/** Resolves with a release function once the lock is held; rejects if `signal` aborts first. */
export function acquireDrainLock(name: string, signal: AbortSignal, locks: LockManagerLike | undefined = webLocks()): Promise<ReleaseLock> {
  if (locks === undefined) return acquireLocal(name, signal)
  return new Promise<ReleaseLock>((resolve, reject) => {
    locks.request(name, { signal }, () => new Promise<void>((release) => resolve(release))).catch(reject)
  })
}

// Fallback: FIFO waiters per lock name, in this process only.
const holders = new Map<string, Array<() => void>>()

function acquireLocal(name: string, signal: AbortSignal): Promise<ReleaseLock> {
  return new Promise<ReleaseLock>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const queue = holders.get(name) ?? []
    holders.set(name, queue)
    let released = false
    const release = () => {
      if (released) return
      released = true
      queue.shift()
      if (queue.length === 0) holders.delete(name)
      else queue[0]!()
    }
    const grant = () => {
      signal.removeEventListener('abort', onAbort)
      resolve(release)
    }
    const onAbort = () => {
      const i = queue.indexOf(grant)
      if (i > 0) queue.splice(i, 1)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    queue.push(grant)
    if (queue.length === 1) grant()
  })
}
