/**
 * The data-change form's model and the `{ kind, body }` candidate the shared
 * DataChangeSchema judges. Name, nationality and address changes carry proof; "other"
 * sends only the fields the person filled in.
 */
import { assertNever } from '../../../../shared/assert-never'
import { ADDRESS_DOCUMENT_TYPES, IDENTITY_DOCUMENT_TYPES, type DataChange, type DataChangeKind } from '../../../../shared/schemas/data-change'
import type { User } from '../../../../shared/schemas/user'
import { addressCandidate, addressModelFrom, emptyAddress, type AddressModel } from './address-model'
import { normalisePhoneNumber } from './phone-number'

/** Select value meaning "leave this field as it is" (not a valid API value on purpose). */
export const KEEP = 'KEEP'

export interface DataChangeModel {
  kind: DataChangeKind
  first_name: string
  last_name: string
  nationalities: string[]
  address: AddressModel
  document_type: string
  issuance_date: string
  data_download_link: string
  email: string
  salutation: string
  title: string
  phone_number: string
  birth_name: string
  postalChange: boolean
  postal_address: AddressModel
}

export type CurrentUser = Partial<Pick<User, 'first_name' | 'last_name' | 'nationalities' | 'address'>>

export function dataChangeModelFrom(current: CurrentUser, initial?: DataChange): DataChangeModel {
  const model: DataChangeModel = {
    kind: initial?.kind ?? 'name',
    first_name: current.first_name ?? '',
    last_name: current.last_name ?? '',
    nationalities: [...(current.nationalities ?? [])],
    address: addressModelFrom(current.address),
    document_type: '',
    issuance_date: '',
    data_download_link: '',
    email: '',
    salutation: KEEP,
    title: KEEP,
    phone_number: '',
    birth_name: '',
    postalChange: false,
    postal_address: emptyAddress(),
  }
  if (initial === undefined) return model
  switch (initial.kind) {
    case 'name':
      return { ...model, ...proofOf(initial.body), first_name: initial.body.first_name, last_name: initial.body.last_name }
    case 'nationality':
      return { ...model, ...proofOf(initial.body), nationalities: [...initial.body.nationalities] }
    case 'address':
      return { ...model, ...proofOf(initial.body), address: addressModelFrom(initial.body.address) }
    case 'other': {
      const b = initial.body
      return {
        ...model,
        email: b.email ?? '',
        salutation: b.salutation ?? KEEP,
        title: b.title ?? KEEP,
        phone_number: b.phone_number ?? '',
        birth_name: b.birth_name ?? '',
        postalChange: b.postal_address !== undefined,
        postal_address: addressModelFrom(b.postal_address),
      }
    }
    default:
      return assertNever(initial, 'data change')
  }
}

function proofOf(body: { document_type: string; issuance_date: string; data_download_link: string }) {
  return { document_type: body.document_type, issuance_date: body.issuance_date, data_download_link: body.data_download_link }
}

/** The document types the API allows for a kind of change (none for "other"). */
export function documentTypesFor(kind: DataChangeKind): readonly string[] {
  switch (kind) {
    case 'name':
    case 'nationality':
      return IDENTITY_DOCUMENT_TYPES
    case 'address':
      return ADDRESS_DOCUMENT_TYPES
    case 'other':
      return []
    default:
      return assertNever(kind, 'data change kind')
  }
}

export function needsProof(kind: DataChangeKind): boolean {
  return documentTypesFor(kind).length > 0
}

/** `homeCountry`: where a national phone number is read (the user's residential country). */
export function dataChangeCandidate(model: DataChangeModel, homeCountry?: string): { kind: DataChangeKind; body: Record<string, unknown> } {
  const proof = { document_type: model.document_type, issuance_date: model.issuance_date, data_download_link: model.data_download_link }
  switch (model.kind) {
    case 'name':
      return { kind: 'name', body: { first_name: model.first_name, last_name: model.last_name, ...proof } }
    case 'nationality':
      return { kind: 'nationality', body: { nationalities: [...model.nationalities], ...proof } }
    case 'address':
      return { kind: 'address', body: { address: addressCandidate(model.address), ...proof } }
    case 'other': {
      const body: Record<string, unknown> = {}
      if (model.email !== '') body.email = model.email
      if (model.salutation !== KEEP) body.salutation = model.salutation
      if (model.title !== KEEP) body.title = model.title
      if (model.phone_number.trim() !== '') body.phone_number = normalisePhoneNumber(model.phone_number, homeCountry)
      if (model.birth_name !== '') body.birth_name = model.birth_name
      if (model.postalChange) body.postal_address = addressCandidate(model.postal_address)
      return { kind: 'other', body }
    }
    default:
      return assertNever(model.kind, 'data change kind')
  }
}
