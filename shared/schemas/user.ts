/**
 * The user resource in both shapes the spec allows: the plain one (BYOL) and the one
 * with email, phone, FATCA and consents (TOL). A user read from the API is either.
 */
import { z } from 'zod'
import { AddressSchema, PostalAddressSchema } from './address'
import { CountryCodeSchema, DateTimeSchema, UuidSchema } from './common'

export const SALUTATIONS = ['', 'SALUTATION_MALE', 'SALUTATION_FEMALE', 'SALUTATION_FEMALE_MARRIED', 'SALUTATION_DIVERSE'] as const
export const SalutationSchema = z.enum(SALUTATIONS)
export type Salutation = z.infer<typeof SalutationSchema>

export const TITLES = ['', 'DR', 'PROF', 'PROF_DR', 'DIPL_ING', 'MAGISTER'] as const
export const TitleSchema = z.enum(TITLES)
export type Title = z.infer<typeof TitleSchema>

export const USER_STATUSES = ['ACTIVE', 'INACTIVE', 'OFFBOARDING', 'OFFBOARDED'] as const
export const UserStatusSchema = z.enum(USER_STATUSES)
export type UserStatus = z.infer<typeof UserStatusSchema>

export const NameSchema = z.string().min(2, 'must be at least 2 characters').max(100, 'must be at most 100 characters')
export const BirthCitySchema = z.string().min(1, 'is required').max(85, 'must be at most 85 characters')
export const BirthNameSchema = z.string().max(100, 'must be at most 100 characters')
export const NationalitiesSchema = z.array(CountryCodeSchema).min(1, 'must name at least one nationality')
export const EmailSchema = z.email('must be a valid email address').max(100, 'must be at most 100 characters')
export const PhoneNumberSchema = z.string().regex(/^([0-9]{8,15})?$/, 'must be 8 to 15 digits (E.164 without +)')

export const FatcaSchema = z.strictObject({ status: z.boolean(), confirmed_at: DateTimeSchema })
export const ConsentSchema = z.strictObject({ consent_document_id: UuidSchema, confirmed_at: DateTimeSchema })

// Birth dates read from the server are not checked against today: the server is the truth.
const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in YYYY-MM-DD format')

const userBase = {
  id: UuidSchema,
  created_at: DateTimeSchema,
  updated_at: DateTimeSchema,
  first_name: NameSchema,
  last_name: NameSchema,
  salutation: SalutationSchema.optional(),
  title: TitleSchema.optional(),
  birth_date: DateOnly,
  birth_city: BirthCitySchema.optional(),
  birth_country: CountryCodeSchema.optional(),
  birth_name: BirthNameSchema.optional(),
  nationalities: NationalitiesSchema,
  address: AddressSchema,
  postal_address: PostalAddressSchema.optional(),
  status: UserStatusSchema,
}

/** The plain user (BYOL in the spec). */
export const PlainUserSchema = z.strictObject(userBase)

/** The user with contact data, FATCA and consents (TOL in the spec). */
export const ExtendedUserSchema = z.strictObject({
  ...userBase,
  email: EmailSchema.optional(),
  phone_number: PhoneNumberSchema.optional(),
  fatca: FatcaSchema.optional(),
  terms_and_conditions: ConsentSchema.optional(),
  data_privacy_and_sharing_agreement: ConsentSchema.optional(),
})

/**
 * A user as read from the API, in either shape. The extended shape is a strict superset
 * of the plain one, so reading with it accepts both and keeps one `User` type for the app.
 */
export const UserSchema = ExtendedUserSchema
export type User = z.infer<typeof UserSchema>
