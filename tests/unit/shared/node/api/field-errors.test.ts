import { describe, expect, it } from 'vitest'
import { fieldErrorsFromDetail } from '../../../../../shared/node/api/field-errors'

describe('fieldErrorsFromDetail', () => {
  it('reads one field error', () => {
    expect(fieldErrorsFromDetail('address.postcode: must be 1 to 10 letters')).toEqual([
      { field: 'address.postcode', message: 'must be 1 to 10 letters' },
    ])
  })

  it('reads several, skipping a leading context', () => {
    expect(
      fieldErrorsFromDetail('invalid body: first_name: must be at least 2 characters; nationalities.0: is not a country\nbirth_date: bad'),
    ).toEqual([
      { field: 'first_name', message: 'must be at least 2 characters' },
      { field: 'nationalities.0', message: 'is not a country' },
      { field: 'birth_date', message: 'bad' },
    ])
  })

  it('finds nothing in prose', () => {
    expect(fieldErrorsFromDetail(undefined)).toEqual([])
    expect(fieldErrorsFromDetail('Error: something went wrong')).toEqual([])
    expect(fieldErrorsFromDetail('The request could not be processed')).toEqual([])
  })
})
