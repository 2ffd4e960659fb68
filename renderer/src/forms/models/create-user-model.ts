/**
 * The create-user form's model (strings and flags, as inputs hold them) and the candidate
 * body built from it, which the shared zod schema then judges. Empty optional fields are
 * left out; the extended shape (contact, FATCA, consents) only when the person chose it.
 */
import { ExtendedCreateUserBodySchema, PlainCreateUserBodySchema, type CreateUserBody } from '../../../../shared/schemas/create-user'
import { addressCandidate, addressModelFrom, emptyAddress, type AddressModel } from './address-model'
import { normalisePhoneNumber } from './phone-number'

export interface CreateUserModel {
  first_name: string
  last_name: string
  salutation: string
  title: string
  birth_date: string
  birth_city: string
  birth_country: string
  birth_name: string
  nationalities: string[]
  address: AddressModel
  /** Postal address is the residential one: `postal_address` is left out and the API copies it. */
  postalSame: boolean
  postal_address: AddressModel
  /** The extended shape: email, phone, FATCA and consents. */
  extended: boolean
  email: string
  phone_number: string
  fatca: boolean
  terms_document_id: string
  privacy_document_id: string
}

export function createModelFrom(body?: CreateUserBody): CreateUserModel {
  const extended = body !== undefined && 'email' in body
  return {
    first_name: body?.first_name ?? '',
    last_name: body?.last_name ?? '',
    salutation: body?.salutation ?? '',
    title: body?.title ?? '',
    birth_date: body?.birth_date ?? '',
    birth_city: body?.birth_city ?? '',
    birth_country: body?.birth_country ?? '',
    birth_name: body?.birth_name ?? '',
    nationalities: [...(body?.nationalities ?? [])],
    address: addressModelFrom(body?.address),
    postalSame: body?.postal_address === undefined || body.postal_address === null,
    postal_address: body?.postal_address ? addressModelFrom(body.postal_address) : emptyAddress(),
    extended,
    email: extended ? body.email : '',
    phone_number: extended ? (body.phone_number ?? '') : '',
    fatca: extended ? body.fatca.status : false,
    terms_document_id: extended ? body.terms_and_conditions.consent_document_id : '',
    privacy_document_id: extended ? body.data_privacy_and_sharing_agreement.consent_document_id : '',
  }
}

export function createSchemaFor(model: Pick<CreateUserModel, 'extended'>) {
  return model.extended ? ExtendedCreateUserBodySchema : PlainCreateUserBodySchema
}

const OPTIONAL_TEXT = ['salutation', 'title', 'birth_city', 'birth_country', 'birth_name'] as const

/** The body to validate and send; `now` stamps the FATCA and consent confirmations. */
export function createCandidate(model: CreateUserModel, now: Date = new Date()): Record<string, unknown> {
  const body: Record<string, unknown> = {
    first_name: model.first_name,
    last_name: model.last_name,
    birth_date: model.birth_date,
    nationalities: [...model.nationalities],
    address: addressCandidate(model.address),
  }
  for (const key of OPTIONAL_TEXT) if (model[key] !== '') body[key] = model[key]
  if (!model.postalSame) body.postal_address = addressCandidate(model.postal_address)
  if (model.extended) {
    const confirmedAt = now.toISOString()
    body.email = model.email
    // Written as people write it; sent as the API takes it (a national number read in the address's country).
    if (model.phone_number.trim() !== '') body.phone_number = normalisePhoneNumber(model.phone_number, model.address.country)
    // The extended shape requires birth city and country; send what was typed so the schema says so.
    body.birth_city = model.birth_city
    body.birth_country = model.birth_country
    body.fatca = { status: model.fatca, confirmed_at: confirmedAt }
    body.terms_and_conditions = { consent_document_id: model.terms_document_id, confirmed_at: confirmedAt }
    body.data_privacy_and_sharing_agreement = { consent_document_id: model.privacy_document_id, confirmed_at: confirmedAt }
  }
  return body
}
