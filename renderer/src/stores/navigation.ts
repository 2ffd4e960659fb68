/**
 * Which screen is open. A tiny in-app router: a discriminated union of views, mirrored
 * into the URL hash so reload and the browser's back button keep their place. Leaving a
 * screen with an unsaved form asks first (composables/unsaved-changes.ts).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { assertNever } from '../../../shared/assert-never'
import { mayLeave } from '../composables/unsaved-changes'
import { i18n } from '../i18n'

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

  const leaveQuestion = () => i18n.global.t('form.leaveConfirm')

  function go(next: View): void {
    if (viewToHash(next) !== viewToHash(view.value) && !mayLeave(leaveQuestion())) return
    view.value = next
    const hash = viewToHash(next)
    if (globalThis.location !== undefined && globalThis.location.hash !== hash) globalThis.location.hash = hash
  }

  function followHash(): void {
    const next = hashToView(globalThis.location?.hash ?? '')
    if (viewToHash(next) === viewToHash(view.value)) return
    if (!mayLeave(leaveQuestion())) {
      // The browser already moved the address (back button): put it back on the open form.
      globalThis.location.hash = viewToHash(view.value)
      return
    }
    view.value = next
  }

  return { view, go, followHash }
})
