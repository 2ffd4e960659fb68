/** The address form's editable model (all strings) and its conversion to the API shape. */
import type { Address } from '../../../../shared/schemas/address'

export interface AddressModel {
  address_line1: string
  address_line2: string
  postcode: string
  city: string
  state: string
  country: string
}

export function emptyAddress(): AddressModel {
  return { address_line1: '', address_line2: '', postcode: '', city: '', state: '', country: '' }
}

export function addressModelFrom(address: Partial<Address> | null | undefined): AddressModel {
  return {
    address_line1: address?.address_line1 ?? '',
    address_line2: address?.address_line2 ?? '',
    postcode: address?.postcode ?? '',
    city: address?.city ?? '',
    state: address?.state ?? '',
    country: address?.country ?? '',
  }
}

/** Empty optional lines are left out, as the API expects, rather than sent as "". */
export function addressCandidate(model: AddressModel): Record<string, string> {
  const out: Record<string, string> = {
    address_line1: model.address_line1,
    postcode: model.postcode,
    city: model.city,
    country: model.country,
  }
  if (model.address_line2 !== '') out.address_line2 = model.address_line2
  if (model.state !== '') out.state = model.state
  return out
}
