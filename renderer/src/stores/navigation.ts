/**
 * Which screen is open. A tiny in-app router: a discriminated union of views, mirrored
 * into the URL hash so reload and the browser's back button keep their place.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { assertNever } from '../../../shared/assert-never'

export type View =
  | { readonly name: 'users' }
  | { readonly name: 'user'; readonly userKey: string }
  | { readonly name: 'create' }
  | { readonly name: 'change'; readonly userKey: string }
  | { readonly name: 'edit'; readonly entryId: string }
  | { readonly name: 'outbox' }
  | { readonly name: 'settings' }

export function viewToHash(view: View): string {
  switch (view.name) {
    case 'users':
    case 'create':
    case 'outbox':
    case 'settings':
      return `#/${view.name}`
    case 'user':
    case 'change':
      return `#/${view.name}/${encodeURIComponent(view.userKey)}`
    case 'edit':
      return `#/edit/${encodeURIComponent(view.entryId)}`
    default:
      return assertNever(view, 'view')
  }
}

export function hashToView(hash: string): View {
  const [name = '', arg] = hash.replace(/^#\/?/, '').split('/')
  const param = arg === undefined || arg === '' ? undefined : decodeURIComponent(arg)
  if (name === 'create' || name === 'outbox' || name === 'settings') return { name }
  if ((name === 'user' || name === 'change') && param !== undefined) return { name, userKey: param }
  if (name === 'edit' && param !== undefined) return { name, entryId: param }
  return { name: 'users' }
}

export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<View>(hashToView(globalThis.location?.hash ?? ''))

  function go(next: View): void {
    view.value = next
    const hash = viewToHash(next)
    if (globalThis.location !== undefined && globalThis.location.hash !== hash) globalThis.location.hash = hash
  }

  function followHash(): void {
    view.value = hashToView(globalThis.location?.hash ?? '')
  }

  return { view, go, followHash }
})
