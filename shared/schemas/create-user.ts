/** The body of `POST /users`, in both shapes the spec allows. */
import { z } from 'zod'
import { PostalAddressSchema, ResidentialAddressSchema } from './address'
import { BirthDateSchema, CountryCodeSchema } from './common'
import {
  BirthCitySchema,
  BirthNameSchema,
  ConsentSchema,
  EmailSchema,
  FatcaSchema,
  NameSchema,
  NationalitiesSchema,
  PhoneNumberSchema,
  SalutationSchema,
  TitleSchema,
} from './user'

const createBase = {
  first_name: NameSchema,
  last_name: NameSchema,
  salutation: SalutationSchema.optional(),
  title: TitleSchema.optional(),
  birth_date: BirthDateSchema,
  birth_city: BirthCitySchema.optional(),
  birth_country: CountryCodeSchema.optional(),
  birth_name: BirthNameSchema.optional(),
  nationalities: NationalitiesSchema,
  address: ResidentialAddressSchema,
  // Omitted: the API fills it from `address`. null: explicitly none.
  postal_address: PostalAddressSchema.optional(),
}

/** The plain create body (BYOL in the spec). */
export const PlainCreateUserBodySchema = z.strictObject(createBase)

/** The create body with contact data, FATCA and consents (TOL in the spec). */
export const ExtendedCreateUserBodySchema = z.strictObject({
  ...createBase,
  email: EmailSchema,
  phone_number: PhoneNumberSchema.optional(),
  birth_city: BirthCitySchema,
  birth_country: CountryCodeSchema,
  fatca: FatcaSchema,
  terms_and_conditions: ConsentSchema,
  data_privacy_and_sharing_agreement: ConsentSchema,
})

export const CreateUserBodySchema = z.union([PlainCreateUserBodySchema, ExtendedCreateUserBodySchema])
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>
