/**
 * The body of `POST /users/{id}/data_change_requests`: the flat variant (any user field)
 * and the four kinds with their proof rules (name, nationality, address, other).
 */
import { z } from 'zod'
import { PostalAddressSchema, ResidentialAddressSchema } from './address'
import { BirthDateSchema, CalendarDateSchema, CountryCodeSchema } from './common'
import {
  BirthCitySchema,
  BirthNameSchema,
  EmailSchema,
  NameSchema,
  NationalitiesSchema,
  PhoneNumberSchema,
  SalutationSchema,
  TitleSchema,
} from './user'

export const IDENTITY_DOCUMENT_TYPES = ['PASSPORT', 'ID_CARD'] as const
export const ADDRESS_DOCUMENT_TYPES = [
  'UTILITY_BILL',
  'TELEPHONE_BILL',
  'INTERNET_BILL',
  'BANK_STATEMENT',
  'REGISTRATION_CERT',
  'RESIDENCE_PERMIT',
  'ID_CARD',
] as const

export const DownloadLinkSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(1000, 'must be at most 1000 characters')

/** Fields that prove a change: they travel with the request and are never stored on the user. */
export const PROOF_FIELDS: ReadonlySet<string> = new Set(['issuance_date', 'data_download_link', 'document_type'])

const proof = <T extends readonly [string, ...string[]]>(documentTypes: T) => ({
  issuance_date: CalendarDateSchema,
  data_download_link: DownloadLinkSchema,
  document_type: z.enum(documentTypes),
})

export const NameChangeSchema = z.strictObject({
  first_name: NameSchema,
  last_name: NameSchema,
  ...proof(IDENTITY_DOCUMENT_TYPES),
})

export const NationalityChangeSchema = z.strictObject({
  nationalities: NationalitiesSchema,
  ...proof(IDENTITY_DOCUMENT_TYPES),
})

export const AddressChangeSchema = z.strictObject({
  address: ResidentialAddressSchema,
  ...proof(ADDRESS_DOCUMENT_TYPES),
})

const atLeastOneField = (value: Record<string, unknown>) => Object.values(value).some((v) => v !== undefined)

/** Fields that need no proof. */
export const OtherChangeSchema = z
  .strictObject({
    email: EmailSchema.optional(),
    salutation: SalutationSchema.optional(),
    title: TitleSchema.optional(),
    phone_number: PhoneNumberSchema.optional(),
    birth_name: BirthNameSchema.optional(),
    postal_address: PostalAddressSchema.optional(),
  })
  .refine(atLeastOneField, 'must change at least one field')

/** The flat variant (BYOL in the spec): any user field, no proof. */
export const FlatDataChangeSchema = z
  .strictObject({
    first_name: NameSchema.optional(),
    last_name: NameSchema.optional(),
    salutation: SalutationSchema.optional(),
    title: TitleSchema.optional(),
    birth_date: BirthDateSchema.optional(),
    birth_city: BirthCitySchema.optional(),
    birth_country: CountryCodeSchema.optional(),
    birth_name: BirthNameSchema.optional(),
    nationalities: NationalitiesSchema.optional(),
    address: ResidentialAddressSchema.optional(),
    postal_address: PostalAddressSchema.optional(),
  })
  .refine(atLeastOneField, 'must change at least one field')

export const DataChangeBodySchema = z.union([NameChangeSchema, NationalityChangeSchema, AddressChangeSchema, OtherChangeSchema, FlatDataChangeSchema])
export type DataChangeBody = z.infer<typeof DataChangeBodySchema>

/** What field staff pick in the app; each kind has exactly one body schema. */
export const DATA_CHANGE_KINDS = ['name', 'nationality', 'address', 'other'] as const
export const DataChangeKindSchema = z.enum(DATA_CHANGE_KINDS)
export type DataChangeKind = z.infer<typeof DataChangeKindSchema>

export const DataChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('name'), body: NameChangeSchema }),
  z.strictObject({ kind: z.literal('nationality'), body: NationalityChangeSchema }),
  z.strictObject({ kind: z.literal('address'), body: AddressChangeSchema }),
  z.strictObject({ kind: z.literal('other'), body: OtherChangeSchema }),
])
export type DataChange = z.infer<typeof DataChangeSchema>
