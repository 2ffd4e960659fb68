/**
 * Dexie liveQuery as a Vue ref. `makeQuery` reads its reactive inputs synchronously and
 * returns the query; when an input changes, the old subscription is dropped and a new one
 * made, so a stale page never overwrites a fresh one. Stops with the owning scope.
 */
import { liveQuery } from 'dexie'
import { shallowRef, watchEffect, type ShallowRef } from 'vue'

export interface LiveRef<T> {
  readonly value: ShallowRef<T>
  readonly error: ShallowRef<unknown>
  /** False until the first result of the current query arrived. */
  readonly ready: ShallowRef<boolean>
}

export function useLiveQuery<T>(makeQuery: () => () => Promise<T>, initial: T): LiveRef<T> {
  const value = shallowRef<T>(initial)
  const error = shallowRef<unknown>(null)
  const ready = shallowRef(false)
  watchEffect((onCleanup) => {
    const query = makeQuery()
    ready.value = false
    const subscription = liveQuery(query).subscribe({
      next: (result) => {
        value.value = result
        error.value = null
        ready.value = true
      },
      error: (e: unknown) => {
        // Kept visible rather than thrown: a failed read must not take the screen down.
        error.value = e
        ready.value = true
      },
    })
    onCleanup(() => subscription.unsubscribe())
  })
  return { value, error, ready }
}
