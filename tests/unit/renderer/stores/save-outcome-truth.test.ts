/**
 * What a form says after a save is true: "sent" only once the server accepted the entry (a
 * request that left the machine and failed is still waiting), and leaving a half-filled form
 * asks first, in the app and when the page is closed.
 */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { getDatabase, openDatabase, setAppDatabase } from '../../../../renderer/src/db/database'
import { enqueueCreate } from '../../../../renderer/src/db/outbox-repository'
import { commitCreated, commitRetry, markSending } from '../../../../renderer/src/db/outbox-steps'
import CreateUserForm from '../../../../renderer/src/forms/CreateUserForm.vue'
import { awaitDelivery } from '../../../../renderer/src/stores/delivery'
import { useNavigationStore } from '../../../../renderer/src/stores/navigation'
import { createBody, serverUser } from '../../../support/sync/fixtures'
import { mountWithI18n, type } from '../components/helpers'

// The app opens its API target's database at start; here, one of its own.
setAppDatabase(openDatabase('save-outcome-truth'))

describe('the outcome after a save', () => {
  it('is "queued" when the request went out and failed, "sent" once the server accepted it', async () => {
    const db = getDatabase()
    const { entryId, userKey } = await enqueueCreate(createBody(1), db)
    const now = Date.now()
    await markSending(db, entryId, now)
    await commitRetry(db, entryId, now, now + 60_000, { kind: 'transient', message: 'server error 503', fieldErrors: [] }, 1)
    // The history now holds "sent" then "will retry": Pending is still 1.
    expect(await awaitDelivery(entryId, 300)).toEqual({ kind: 'queued' })

    const accepted = awaitDelivery(entryId, 5_000)
    await markSending(db, entryId, Date.now())
    await commitCreated(db, entryId, userKey, serverUser({ first_name: 'Anna' }), Date.now())
    expect(await accepted).toEqual({ kind: 'sent' })
  })
})

describe('leaving a form with unsaved work', () => {
  let wrapper: VueWrapper | undefined
  beforeEach(() => {
    setActivePinia(createPinia())
    globalThis.location.hash = '#/create'
  })
  afterEach(() => {
    wrapper?.unmount()
    vi.unstubAllGlobals()
  })

  it('asks before the in-app navigation and the browser back button, and stays when the person says no', async () => {
    const nav = useNavigationStore()
    nav.go({ name: 'create' })
    wrapper = mountWithI18n(CreateUserForm, { save: async () => ({ kind: 'queued' }) })
    const confirm = vi.fn<(question: string) => boolean>(() => false)
    vi.stubGlobal('confirm', confirm)
    nav.go({ name: 'users' })
    expect(confirm).not.toHaveBeenCalled() // nothing typed yet: nothing to lose
    nav.go({ name: 'create' })

    await type(wrapper, 'First name', 'Half')
    nav.go({ name: 'users' })
    expect(confirm).toHaveBeenCalledWith('You have not saved this form. Leave it and lose what you typed?')
    expect(nav.view).toEqual({ name: 'create' })

    globalThis.location.hash = '#/outbox'
    nav.followHash()
    expect(nav.view).toEqual({ name: 'create' })
    expect(globalThis.location.hash).toBe('#/create')

    confirm.mockReturnValue(true)
    nav.go({ name: 'users' })
    expect(nav.view).toEqual({ name: 'users' })
  })

  it('makes the browser ask before the page is closed or reloaded', async () => {
    wrapper = mountWithI18n(CreateUserForm, { save: async () => ({ kind: 'queued' }) })
    const clean = new Event('beforeunload', { cancelable: true })
    globalThis.dispatchEvent(clean)
    expect(clean.defaultPrevented).toBe(false)
    await type(wrapper, 'Last name', 'Half')
    const dirty = new Event('beforeunload', { cancelable: true })
    globalThis.dispatchEvent(dirty)
    expect(dirty.defaultPrevented).toBe(true)
  })
})
