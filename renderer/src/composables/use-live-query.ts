/**
 * Dexie liveQuery as a Vue ref. `makeQuery` reads its reactive inputs synchronously and
 * returns the query; when an input changes, the old subscription is dropped and a new one
 * made, so a stale page never overwrites a fresh one. Stops with the owning scope.
 */
import { liveQuery } from 'dexie'
import { shallowRef, watch, watchEffect, type ShallowRef } from 'vue'

export interface LiveRef<T> {
  readonly value: ShallowRef<T>
  readonly error: ShallowRef<unknown>
  /** False until the first result of the current query arrived. */
  readonly ready: ShallowRef<boolean>
}

/**
 * `poke`: when its value changes, the query is also run once directly. Dexie holds live
 * results back while write transactions keep coming (a reconcile writing page after page);
 * a direct read between them shows progress meanwhile.
 */
export function useLiveQuery<T>(makeQuery: () => () => Promise<T>, initial: T, poke?: () => unknown): LiveRef<T> {
  const value = shallowRef<T>(initial)
  const error = shallowRef<unknown>(null)
  const ready = shallowRef(false)
  /** Counts live results, so a direct re-read can tell whether one came while it ran. */
  let liveResults = 0
  watchEffect((onCleanup) => {
    const query = makeQuery()
    ready.value = false
    const subscription = liveQuery(query).subscribe({
      next: (result) => {
        liveResults += 1
        value.value = result
        error.value = null
        ready.value = true
      },
      error: (e: unknown) => {
        // Kept visible rather than thrown: a failed read must not take the screen down.
        console.warn('live query failed', e)
        error.value = e
        ready.value = true
      },
    })
    onCleanup(() => subscription.unsubscribe())
  })
  if (poke !== undefined) {
    let started = 0
    let applied = 0
    watch(poke, () => {
      const query = makeQuery()
      const run = ++started
      const liveBefore = liveResults
      query()
        .then((result) => {
          // Reads can take longer than the writes they follow: a live result that came
          // meanwhile, or a later re-read already shown, is at least as new as this one.
          if (run <= applied || liveResults !== liveBefore) return
          applied = run
          value.value = result
        })
        .catch(() => undefined)
    })
  }
  return { value, error, ready }
}
