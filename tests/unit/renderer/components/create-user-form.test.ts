/** Inline validation of the create-user form against the shared zod schemas, in both languages. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import CreateUserForm from '../../../../renderer/src/forms/CreateUserForm.vue'
import type { CreateUserBody } from '../../../../shared/schemas/create-user'
import type { SaveOutcome } from '../../../../renderer/src/forms/save-outcome'
import { choose, control, errorOf, flush, mountWithI18n, type } from './helpers'

let wrapper: VueWrapper | undefined
afterEach(() => wrapper?.unmount())

function mountForm(locale: 'en' | 'de' = 'en', outcome: SaveOutcome = { kind: 'queued' }) {
  const save = vi.fn<(body: CreateUserBody) => Promise<SaveOutcome>>(async () => outcome)
  wrapper = mountWithI18n(CreateUserForm, { save }, locale)
  return { w: wrapper, save }
}

async function addNationality(w: VueWrapper, code: string, label = 'Add nationality'): Promise<void> {
  await control(w, label).setValue(code)
  const button = w.findAll('button').find((b) => b.text() === label)
  await button?.trigger('click')
}

async function fillValid(w: VueWrapper): Promise<void> {
  await type(w, 'First name', 'Anna')
  await type(w, 'Last name', 'Schmidt')
  await type(w, 'Date of birth', '1990-04-12')
  await addNationality(w, 'DE')
  await type(w, 'Address line 1', 'Hauptstraße 1')
  await type(w, 'Postcode', '10115')
  await type(w, 'City', 'Berlin')
  await choose(w, 'Country', 'DE')
}

describe('CreateUserForm', () => {
  it('shows a length error next to the field as the person types, and clears it when fixed', async () => {
    const { w } = mountForm()
    expect(errorOf(w, 'First name')).toBeUndefined()
    await type(w, 'First name', 'A')
    expect(errorOf(w, 'First name')).toBe('Enter at least 2 letters.')
    expect(control(w, 'First name').attributes('aria-invalid')).toBe('true')
    await type(w, 'First name', 'Al')
    expect(errorOf(w, 'First name')).toBeUndefined()
  })

  it('does not save an empty form and names every required field', async () => {
    const { w, save } = mountForm()
    await w.find('form').trigger('submit')
    await flush()
    expect(save).not.toHaveBeenCalled()
    expect(errorOf(w, 'Last name')).toBe('Enter at least 2 letters.')
    expect(errorOf(w, 'Date of birth')).toBe('Enter the full date.')
    expect(errorOf(w, 'Address line 1')).toBe('Fill this in.')
    expect(errorOf(w, 'Country')).toBe('Choose a country.')
    expect(w.text()).toContain('Add at least one nationality.')
    expect(w.find('[role="alert"]').text()).toMatch(/There are \d+ problems with this form\./)
  })

  it('rejects a birth date in the future or before 1900', async () => {
    const { w } = mountForm()
    await type(w, 'Date of birth', '2999-01-01')
    expect(errorOf(w, 'Date of birth')).toBe('Enter a date between 1900 and today.')
    await type(w, 'Date of birth', '1899-12-31')
    expect(errorOf(w, 'Date of birth')).toBe('Enter a date between 1900 and today.')
    await type(w, 'Date of birth', '1980-06-30')
    expect(errorOf(w, 'Date of birth')).toBeUndefined()
  })

  it('applies the P.O. box rule to the residential address but not to the postal one', async () => {
    const { w, save } = mountForm()
    await fillValid(w)
    await type(w, 'Address line 1', 'Postfach 1234')
    expect(errorOf(w, 'Address line 1')).toBe('Enter where the person lives: no P.O. box, Postfach or c/o address.')
    await type(w, 'Address line 1', 'Hauptstraße 1')
    expect(errorOf(w, 'Address line 1')).toBeUndefined()

    const same = w.findAll('input[type="checkbox"]').find((c) => c.element.parentElement?.textContent?.includes('same as the residential'))
    expect(same?.element).toBeDefined()
    await same?.setValue(false)
    const postal = w.findAll('fieldset').find((f) => f.find('legend').text() === 'Postal address')
    expect(postal?.exists()).toBe(true)
    const postalLine = postal!.findAll('input').at(0)!
    await postalLine.setValue('P.O. Box 77')
    const inputs = postal!.findAll('input')
    await inputs.at(2)!.setValue('10117')
    await inputs.at(3)!.setValue('Berlin')
    await postal!.find('select').setValue('DE')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledTimes(1)
    expect(save.mock.calls[0]?.[0].postal_address).toMatchObject({ address_line1: 'P.O. Box 77', city: 'Berlin' })
  })

  it('requires at least one nationality and lets one be removed again', async () => {
    const { w } = mountForm()
    await addNationality(w, 'AT')
    expect(w.text()).toContain('Austria')
    const remove = w.find('button[aria-label="Remove Austria"]')
    await remove.trigger('click')
    expect(w.text()).toContain('Add at least one nationality.')
  })

  it('saves a valid body, leaves out the postal address when it is the same, and says it was queued', async () => {
    const { w, save } = mountForm()
    await fillValid(w)
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledTimes(1)
    const body = save.mock.calls[0]![0]
    expect(body).toEqual({
      first_name: 'Anna',
      last_name: 'Schmidt',
      birth_date: '1990-04-12',
      nationalities: ['DE'],
      address: { address_line1: 'Hauptstraße 1', postcode: '10115', city: 'Berlin', country: 'DE' },
    })
    expect(w.find('[role="status"]').text()).toContain('Saved on this laptop')
  })

  it('sends the salutation and title picked, and lets the browser fill in the name', async () => {
    const { w, save } = mountForm()
    expect(control(w, 'First name').attributes('autocomplete')).toBe('given-name')
    expect(control(w, 'Last name').attributes('autocomplete')).toBe('family-name')
    await fillValid(w)
    await choose(w, 'Salutation', 'SALUTATION_FEMALE')
    await choose(w, 'Title', 'DR')
    await w.find('form').trigger('submit')
    await flush()
    expect(save.mock.calls[0]![0]).toMatchObject({ first_name: 'Anna', salutation: 'SALUTATION_FEMALE', title: 'DR' })
  })

  it('says "sent" when the save went out at once', async () => {
    const { w } = mountForm('en', { kind: 'sent' })
    await fillValid(w)
    await w.find('form').trigger('submit')
    await flush()
    expect(w.find('[data-outcome="sent"]').text()).toBe('Sent. The server has accepted it.')
  })

  it('validates the extended shape: email and consent ids', async () => {
    const { w, save } = mountForm()
    await fillValid(w)
    const extended = w.findAll('input[type="checkbox"]').find((c) => c.element.parentElement?.textContent?.includes('FATCA status'))
    await extended!.setValue(true)
    await type(w, 'Email', 'not-an-email')
    expect(errorOf(w, 'Email')).toBe('Enter an email address like name@example.com.')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).not.toHaveBeenCalled()
    expect(errorOf(w, 'City of birth')).toBe('Fill this in.')
    expect(errorOf(w, 'Terms and conditions: consent document id')).toBe('Enter the document id exactly as printed (like 3f2c9a1e-…).')
  })

  it('starts afresh after a new user is saved, so the next one can be typed', async () => {
    const { w, save } = mountForm()
    await fillValid(w)
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledTimes(1)
    expect((control(w, 'First name').element as HTMLInputElement).value).toBe('')
    expect(w.text()).toContain('No nationality chosen yet')
    // The empty form is not the person's mistake: no errors until they submit again.
    expect(w.find('[role="alert"]').exists()).toBe(false)
    expect(errorOf(w, 'Last name')).toBeUndefined()
  })

  it('keeps the values when a parked create is edited and sent again', async () => {
    const initial: CreateUserBody = {
      first_name: 'Anna',
      last_name: 'Schmidt',
      birth_date: '1990-04-12',
      nationalities: ['DE'],
      address: { address_line1: 'Hauptstraße 1', postcode: '10115', city: 'Berlin', country: 'DE' },
    }
    const save = vi.fn<(body: CreateUserBody) => Promise<SaveOutcome>>(async () => ({ kind: 'queued' }))
    const w = (wrapper = mountWithI18n(CreateUserForm, { save, initial, submitLabel: 'Send again' }))
    await w.find('form').trigger('submit')
    await flush()
    expect(save.mock.calls[0]?.[0]).toEqual(initial)
    expect((control(w, 'First name').element as HTMLInputElement).value).toBe('Anna')
    expect(w.find('button[type="submit"]').text()).toBe('Send again')
  })

  it('moves focus to the error summary when a submit finds problems', async () => {
    const { w } = mountForm()
    await w.find('form').trigger('submit')
    await flush()
    const summary = w.find('[role="alert"]')
    expect(summary.exists()).toBe(true)
    expect(document.activeElement).toBe(summary.element)
  })

  it('speaks German: labels, country names and validation messages', async () => {
    const { w } = mountForm('de')
    await type(w, 'Vorname', 'A')
    expect(errorOf(w, 'Vorname')).toBe('Bitte mindestens 2 Buchstaben eingeben.')
    const countries = control(w, 'Land')
      .findAll('option')
      .map((o) => o.text())
    expect(countries).toContain('Deutschland')
    expect(countries).toContain('Österreich')
  })
})
