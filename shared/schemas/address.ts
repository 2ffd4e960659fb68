/** Address as the API defines it, and the residential rule (no P.O. box, Postfach or c/o). */
import { z } from 'zod'
import { CountryCodeSchema } from './common'

export const AddressSchema = z.strictObject({
  address_line1: z.string().min(1, 'is required').max(100, 'must be at most 100 characters'),
  address_line2: z.string().max(100, 'must be at most 100 characters').optional(),
  postcode: z.string().regex(/^[a-zA-Z0-9\s-]{1,10}$/, 'must be 1 to 10 letters, digits, spaces or hyphens'),
  city: z.string().min(1, 'is required').max(85, 'must be at most 85 characters'),
  state: z.string().max(50, 'must be at most 50 characters').optional(),
  country: CountryCodeSchema,
})

export type Address = z.infer<typeof AddressSchema>

// P.O. box in its common spellings, the German "Postfach", and care-of lines.
const PO_BOX_PATTERN = /\b(p\.?\s*o\.?\s*box|post\s*office\s*box|postfach|pob)\b|(^|[\s,])c\s*\/\s*o\b|\bcare\s+of\b/i

export function namesPoBox(line: string | undefined): boolean {
  return line !== undefined && PO_BOX_PATTERN.test(line)
}

const PO_BOX_MESSAGE = 'must not be a P.O. box, Postfach or c/o address'

/**
 * The residential address: same fields, and no P.O. box or c/o in either line. The rule
 * sits on the line fields so it is reported together with every other field error.
 */
export const ResidentialAddressSchema = AddressSchema.extend({
  address_line1: AddressSchema.shape.address_line1.refine((line) => !namesPoBox(line), PO_BOX_MESSAGE),
  address_line2: AddressSchema.shape.address_line2.refine((line) => !namesPoBox(line), PO_BOX_MESSAGE),
})

/** `postal_address` may be null (and is then the residential one). */
export const PostalAddressSchema = AddressSchema.nullable()
