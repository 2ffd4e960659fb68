/**
 * Unsaved work in open forms: a form registers "am I dirty?" while it is shown; leaving the
 * screen (the in-app navigation, the browser's back button) asks first, and closing or
 * reloading the page gets the browser's own "leave site?" prompt. Typed work is never
 * thrown away without the person agreeing.
 */
import { onBeforeUnmount, onMounted } from 'vue'

const dirtyChecks = new Set<() => boolean>()

export function hasUnsavedWork(): boolean {
  for (const isDirty of dirtyChecks) if (isDirty()) return true
  return false
}

/** True when there is nothing to lose, or the person agreed to lose it. */
export function mayLeave(question: string, ask: (question: string) => boolean = (q) => globalThis.confirm(q)): boolean {
  return !hasUnsavedWork() || ask(question)
}

function onBeforeUnload(event: BeforeUnloadEvent): void {
  if (!hasUnsavedWork()) return
  event.preventDefault()
  // Older Chromium needs returnValue set to show its prompt.
  event.returnValue = ''
}

/** Registers a form's dirty check for as long as the component is mounted. */
export function useUnsavedChangesGuard(isDirty: () => boolean): void {
  onMounted(() => {
    if (dirtyChecks.size === 0) globalThis.addEventListener('beforeunload', onBeforeUnload)
    dirtyChecks.add(isDirty)
  })
  onBeforeUnmount(() => {
    dirtyChecks.delete(isDirty)
    if (dirtyChecks.size === 0) globalThis.removeEventListener('beforeunload', onBeforeUnload)
  })
}
