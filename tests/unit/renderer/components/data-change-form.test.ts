/** The data-change form: proof fields per kind, allowed document types, inline errors, the one-at-a-time note. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import DataChangeForm from '../../../../renderer/src/forms/DataChangeForm.vue'
import type { DataChange } from '../../../../shared/schemas/data-change'
import type { SaveOutcome } from '../../../../renderer/src/forms/save-outcome'
import { choose, control, errorOf, flush, mountWithI18n, type } from './helpers'

let wrapper: VueWrapper | undefined
afterEach(() => wrapper?.unmount())

const current = {
  first_name: 'Anna',
  last_name: 'Schmidt',
  nationalities: ['DE'],
  address: { address_line1: 'Hauptstraße 1', postcode: '10115', city: 'Berlin', country: 'DE' },
}

function mountForm(props: Record<string, unknown> = {}, locale: 'en' | 'de' = 'en') {
  const save = vi.fn<(change: DataChange) => Promise<SaveOutcome>>(async () => ({ kind: 'queued' }))
  wrapper = mountWithI18n(DataChangeForm, { current, save, ...props }, locale)
  return { w: wrapper, save }
}

async function pickKind(w: VueWrapper, label: string): Promise<void> {
  const radio = w.findAll('input[type="radio"]').find((r) => r.element.parentElement?.textContent?.trim() === label)
  if (radio === undefined) throw new Error(`no kind ${label}`)
  await radio.setValue(true)
}

const optionValues = (w: VueWrapper, label: string) =>
  control(w, label)
    .findAll('option')
    .map((o) => o.attributes('value'))
    .filter((v) => v !== '')

describe('DataChangeForm', () => {
  it('asks for proof for a name change, with identity documents only', async () => {
    const { w } = mountForm()
    expect(w.find('fieldset.proof').exists()).toBe(true)
    expect(optionValues(w, 'Document type')).toEqual(['PASSPORT', 'ID_CARD'])
    expect(control(w, 'First name').element).toHaveProperty('value', 'Anna')
  })

  it('limits address proof to the address document types and hides proof for other details', async () => {
    const { w } = mountForm()
    await pickKind(w, 'Address')
    expect(optionValues(w, 'Document type')).toEqual([
      'UTILITY_BILL',
      'TELEPHONE_BILL',
      'INTERNET_BILL',
      'BANK_STATEMENT',
      'REGISTRATION_CERT',
      'RESIDENCE_PERMIT',
      'ID_CARD',
    ])
    await pickKind(w, 'Other details')
    expect(w.find('fieldset.proof').exists()).toBe(false)
  })

  it('validates proof fields as the person types', async () => {
    const { w, save } = mountForm()
    await type(w, 'Document download link', 'ftp://files.example/doc.pdf')
    expect(errorOf(w, 'Document download link')).toBe('Enter a web link starting with https://.')
    await type(w, 'Last name', 'S')
    expect(errorOf(w, 'Last name')).toBe('Enter at least 2 letters.')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).not.toHaveBeenCalled()
    expect(errorOf(w, 'Document type')).toBeDefined()
    expect(errorOf(w, 'Issued on')).toBe('Enter the full date.')
  })

  it('saves a complete name change as { kind, body }', async () => {
    const { w, save } = mountForm()
    await type(w, 'Last name', 'Meyer')
    await control(w, 'Document type').setValue('PASSPORT')
    await type(w, 'Issued on', '2024-05-01')
    await type(w, 'Document download link', 'https://docs.example/passport.pdf')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledWith(
      {
        kind: 'name',
        body: {
          first_name: 'Anna',
          last_name: 'Meyer',
          document_type: 'PASSPORT',
          issuance_date: '2024-05-01',
          data_download_link: 'https://docs.example/passport.pdf',
        },
      },
      undefined,
    )
  })

  it('applies the P.O. box rule to a new residential address', async () => {
    const { w } = mountForm()
    await pickKind(w, 'Address')
    await type(w, 'Address line 1', 'c/o Müller, Ringstraße 4')
    expect(errorOf(w, 'Address line 1')).toBe('Enter where the person lives: no P.O. box, Postfach or c/o address.')
  })

  it('needs at least one field for "other details" and sends only what was filled in', async () => {
    const { w, save } = mountForm()
    await pickKind(w, 'Other details')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).not.toHaveBeenCalled()
    expect(w.text()).toContain('Fill in at least one thing that changes.')
    await type(w, 'Phone number', '12345')
    expect(errorOf(w, 'Phone number')).toBe('Enter the phone number with its country code, for example +49 30 1234567.')
    await type(w, 'Phone number', '4915112345678')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledWith({ kind: 'other', body: { phone_number: '4915112345678' } }, undefined)
  })

  it('leaves salutation and title as they are unless one is picked', async () => {
    const { w, save } = mountForm()
    await pickKind(w, 'Other details')
    for (const label of ['Salutation', 'Title']) {
      expect(control(w, label).find('option').text()).toBe('—')
      expect(control(w, label).element).toHaveProperty('value', 'KEEP')
    }
    await choose(w, 'Title', 'PROF')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledWith({ kind: 'other', body: { title: 'PROF' } }, undefined)
  })

  it('explains the one-change-at-a-time rule when a change is waiting', () => {
    const { w } = mountForm({ waiting: true })
    expect(w.find('[data-testid="one-at-a-time"]').text()).toContain('one change at a time per user')
  })

  it('shows the API field errors of a parked entry until the field is edited', async () => {
    const initial: DataChange = {
      kind: 'name',
      body: {
        first_name: 'Anna',
        last_name: 'Meyer',
        document_type: 'PASSPORT',
        issuance_date: '2024-05-01',
        data_download_link: 'https://docs.example/p.pdf',
      },
    }
    const { w } = mountForm({ initial, serverErrors: [{ field: 'last_name', message: 'does not match the document' }] })
    expect(errorOf(w, 'Last name')).toBe('does not match the document')
    await type(w, 'Last name', 'Meier')
    expect(errorOf(w, 'Last name')).toBeUndefined()
  })

  it('speaks German', async () => {
    const { w } = mountForm({ waiting: true }, 'de')
    expect(w.text()).toContain('nur eine Änderung gleichzeitig')
    expect(
      control(w, 'Dokumentart')
        .findAll('option')
        .map((o) => o.text()),
    ).toContain('Reisepass')
  })
})
