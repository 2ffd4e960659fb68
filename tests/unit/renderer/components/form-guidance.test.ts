/**
 * What a field worker sees around the forms: a clean form and a focused, truthful outcome
 * after a save; an error summary that counts, names and links the fields; focus after
 * "Add nationality"; phone numbers as people write them; the date format in the help;
 * rules that depend on another field; warnings that do not block; proof files.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import CreateUserForm from '../../../../renderer/src/forms/CreateUserForm.vue'
import DataChangeForm from '../../../../renderer/src/forms/DataChangeForm.vue'
import type { SaveOutcome } from '../../../../renderer/src/forms/save-outcome'
import type { CreateUserBody } from '../../../../shared/schemas/create-user'
import { choose, control, errorOf, flush, mountWithI18n, type } from './helpers'

let wrapper: VueWrapper | undefined
afterEach(() => wrapper?.unmount())

function mountCreate(locale: 'en' | 'de' = 'en', outcome: SaveOutcome = { kind: 'queued' }) {
  const save = vi.fn<(body: CreateUserBody) => Promise<SaveOutcome>>(async () => outcome)
  wrapper = mountWithI18n(CreateUserForm, { save }, locale)
  return { w: wrapper, save }
}

async function addNationality(w: VueWrapper, code: string): Promise<void> {
  await control(w, 'Add nationality').setValue(code)
  await w
    .findAll('button')
    .find((b) => b.text() === 'Add nationality')!
    .trigger('click')
  await flush()
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

async function tickContactData(w: VueWrapper): Promise<void> {
  const extended = w.findAll('input[type="checkbox"]').find((c) => c.element.parentElement?.textContent?.includes('FATCA status'))
  await extended!.setValue(true)
}

const hintOf = (w: VueWrapper, label: string) => {
  const ids = (control(w, label).attributes('aria-describedby') ?? '').split(' ').filter(Boolean)
  return ids.map((id) => w.find(`[id="${id}"]`).text()).join(' | ')
}

describe('after a save', () => {
  it('shows a clean form and moves focus to the outcome, which says it is kept on this laptop', async () => {
    const { w } = mountCreate()
    await fillValid(w)
    await w.find('form').trigger('submit')
    await flush()
    await flush()
    expect(w.findAll('[aria-invalid="true"]')).toHaveLength(0)
    expect(w.find('[role="alert"]').exists()).toBe(false)
    const outcome = w.find('[data-outcome="queued"]')
    expect(outcome.text()).toBe('Saved on this laptop — will be sent when online.')
    expect(document.activeElement).toBe(outcome.element)
  })
})

describe('the error summary', () => {
  it('says how many problems, lists each field by name as a link, and the link focuses the field', async () => {
    const { w } = mountCreate()
    await type(w, 'First name', 'Anna')
    await w.find('form').trigger('submit')
    await flush()
    await flush()
    const summary = w.find('[role="alert"]')
    expect(document.activeElement).toBe(summary.element)
    const links = summary.findAll('a')
    expect(summary.text()).toMatch(new RegExp(`^There are ${links.length} problems with this form\\. Please fix them:`))
    const names = links.map((a) => a.text())
    expect(names).toContain('Last name: Enter at least 2 letters.')
    expect(names).toContain('Residential address: Country: Choose a country.')
    expect(names).toContain('Nationalities: Add at least one nationality.')
    expect(names.some((n) => n.startsWith('First name'))).toBe(false)
    const city = links.find((a) => a.text().startsWith('Residential address: City'))!
    await city.trigger('click')
    expect(document.activeElement).toBe(control(w, 'City').element)
  })

  it('follows the fixes: a field put right leaves the list', async () => {
    const { w } = mountCreate()
    await w.find('form').trigger('submit')
    await flush()
    const before = w.find('[role="alert"]').findAll('a').length
    await type(w, 'Last name', 'Schmidt')
    await flush()
    expect(w.find('[role="alert"]').findAll('a')).toHaveLength(before - 1)
  })

  it('speaks German too', async () => {
    const { w } = mountCreate('de')
    await w.find('form').trigger('submit')
    await flush()
    expect(w.find('[role="alert"]').text()).toMatch(/^Dieses Formular hat \d+ Probleme\. Bitte beheben:/)
    expect(w.find('[role="alert"]').text()).toContain('Wohnadresse: Land: Bitte ein Land wählen.')
  })
})

describe('focus', () => {
  it('goes to the nationality just added, not to the page start', async () => {
    const { w } = mountCreate()
    await addNationality(w, 'AT')
    const added = w.find('li[data-code="AT"]')
    expect(added.exists()).toBe(true)
    expect(document.activeElement).toBe(added.element)
  })
})

describe('phone numbers', () => {
  it.each([
    ['+49 30 1234567', 'DE'],
    ['0049 30 1234567', 'DE'],
    ['030 1234567', 'DE'],
    ['(030) 123-4567', 'DE'],
    ['+49 (0)30 1234567', 'FR'],
  ])('accepts %s (address in %s) and sends what the API takes', async (typed, country) => {
    const { w, save } = mountCreate()
    await fillValid(w)
    await choose(w, 'Country', country)
    await tickContactData(w)
    await type(w, 'City of birth', 'Berlin')
    await choose(w, 'Country of birth', 'DE')
    await type(w, 'Email', 'anna@example.com')
    await type(w, 'Phone number', typed)
    await type(w, 'Terms and conditions: consent document id', '6f1e3c2a-5b4d-4e8f-9a7b-1c2d3e4f5a6b')
    await type(w, 'Data privacy agreement: consent document id', '7a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d')
    expect(errorOf(w, 'Phone number')).toBeUndefined()
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledTimes(1)
    expect(save.mock.calls[0]![0]).toMatchObject({ phone_number: '49301234567' })
  })

  it('asks for the country code, in plain words, when a number cannot be read', async () => {
    const { w } = mountCreate()
    await tickContactData(w)
    await type(w, 'Phone number', '12 34')
    expect(errorOf(w, 'Phone number')).toBe('Enter the phone number with its country code, for example +49 30 1234567.')
  })
})

describe('help next to the fields', () => {
  it('shows the date format the picker uses, per language', async () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('en-US')
    const { w } = mountCreate()
    expect(hintOf(w, 'Date of birth')).toContain('Format: mm/dd/yyyy')
    expect(hintOf(w, 'Date of birth')).not.toContain('YYYY-MM-DD')
    w.unmount()
    const de = mountCreate('de').w
    expect(hintOf(de, 'Geburtsdatum')).toContain('Format: TT.MM.JJJJ')
    vi.restoreAllMocks()
  })

  it('says next to birth city and country that contact data makes them required', async () => {
    const { w } = mountCreate()
    expect(hintOf(w, 'City of birth')).toContain('Needed when you add contact data below.')
    await tickContactData(w)
    expect(hintOf(w, 'Country of birth')).toContain('Needed because you add contact data below.')
  })

  it('warns about an age under 18 and a home in Antarctica, and saves anyway', async () => {
    const { w, save } = mountCreate()
    await fillValid(w)
    const young = new Date()
    young.setFullYear(young.getFullYear() - 10)
    await type(w, 'Date of birth', young.toISOString().slice(0, 10))
    await choose(w, 'Country', 'AQ')
    expect(hintOf(w, 'Date of birth')).toContain('This person is under 18.')
    expect(w.text()).toContain('Antarctica is unusual for a home address.')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledTimes(1)
  })
})

const current = {
  first_name: 'Anna',
  last_name: 'Schmidt',
  nationalities: ['DE'],
  address: { address_line1: 'Hauptstraße 1', postcode: '10115', city: 'Berlin', country: 'DE' },
}
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])

async function attach(w: VueWrapper, file: File): Promise<void> {
  const input = control(w, 'Document file or photo')
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
  for (let i = 0; i < 5; i++) await flush()
}

describe('a proof document from the field', () => {
  function mountChange() {
    const save = vi.fn(async () => ({ kind: 'queued' }) as SaveOutcome)
    wrapper = mountWithI18n(DataChangeForm, { current, save, acceptsFile: true })
    return { w: wrapper, save }
  }

  it('takes a photo or file with the camera offered, and saves it with the change', async () => {
    const { w, save } = mountChange()
    await type(w, 'Last name', 'Meyer')
    await choose(w, 'Document type', 'PASSPORT')
    await type(w, 'Issued on', '2024-05-01')
    const input = control(w, 'Document file or photo')
    expect(input.attributes('capture')).toBe('environment')
    expect(input.attributes('accept')).toBe('application/pdf,image/jpeg,image/png')
    await attach(w, new File([PNG], 'passport.png', { type: 'image/png' }))
    expect(w.find('[data-testid="proof-file"]').text()).toContain('passport.png')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledTimes(1)
    const [change, proof] = save.mock.calls[0] as unknown as [
      { body: Record<string, unknown> },
      { name: string; contentType: string; bytes: Uint8Array },
    ]
    expect(proof).toMatchObject({ name: 'passport.png', contentType: 'image/png' })
    expect([...proof.bytes]).toEqual([...PNG])
    expect(change.body).toMatchObject({ last_name: 'Meyer', document_type: 'PASSPORT' })
  })

  it('refuses a file that is not a PDF, JPEG or PNG by its content, whatever its name says', async () => {
    const { w, save } = mountChange()
    await attach(w, new File(['just text'], 'passport.png', { type: 'image/png' }))
    expect(errorOf(w, 'Document file or photo')).toBe(
      'This file is not a PDF, JPEG or PNG. Attach a scan or photo in one of those formats.',
    )
    await w.find('form').trigger('submit')
    await flush()
    expect(save).not.toHaveBeenCalled()
  })

  it('refuses a file over 10 MB, saying how big it is', async () => {
    const { w } = mountChange()
    const big = new File([PNG], 'huge.png', { type: 'image/png' })
    Object.defineProperty(big, 'size', { value: 11 * 1024 * 1024 })
    await attach(w, big)
    expect(errorOf(w, 'Document file or photo')).toBe('This file is 11.0 MB; the most is 10 MB. Take a smaller photo or scan.')
  })

  it('asks for the file when none is attached, and still allows a typed link instead', async () => {
    const { w, save } = mountChange()
    await type(w, 'Last name', 'Meyer')
    await choose(w, 'Document type', 'PASSPORT')
    await type(w, 'Issued on', '2024-05-01')
    await w.find('form').trigger('submit')
    await flush()
    expect(errorOf(w, 'Document file or photo')).toBe('Attach the document, or choose to type a link.')
    expect(save).not.toHaveBeenCalled()
    const link = w.findAll('input[type="radio"]').find((r) => r.element.parentElement?.textContent?.trim() === 'Type a download link')!
    await link.setValue(true)
    await type(w, 'Document download link', 'https://docs.example/p.pdf')
    await w.find('form').trigger('submit')
    await flush()
    expect(save).toHaveBeenCalledTimes(1)
    expect(save.mock.calls[0]).toMatchObject([{ body: { data_download_link: 'https://docs.example/p.pdf' } }, undefined])
  })
})
