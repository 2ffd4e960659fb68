/** The offboard confirmation names the user and explains what will happen. */
import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import OffboardConfirm from '../../../../renderer/src/components/users/OffboardConfirm.vue'
import { mountWithI18n } from './helpers'

let wrapper: VueWrapper | undefined
afterEach(() => wrapper?.unmount())

describe('OffboardConfirm', () => {
  it('names the user and says the offboarding completes later', async () => {
    wrapper = mountWithI18n(OffboardConfirm, { name: 'Anna Schmidt', localOnly: false })
    expect(wrapper.find('h2').text()).toBe('Offboard Anna Schmidt?')
    expect(wrapper.text()).toContain('completes the offboarding later')
    expect(document.activeElement?.textContent).toBe('Keep user')
    await wrapper.findAll('button')[0]!.trigger('click')
    expect(wrapper.emitted('confirm')).toHaveLength(1)
  })

  it('explains that a never-sent user is only removed locally', async () => {
    wrapper = mountWithI18n(OffboardConfirm, { name: 'Anna Schmidt', localOnly: true })
    expect(wrapper.text()).toContain('never sent to the server')
    await wrapper.find('section').trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('cancel')).toHaveLength(1)
  })
})
