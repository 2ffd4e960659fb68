import { describe, expect, it } from 'vitest'
import { changeIsReflected, sameValue } from '../../../../renderer/src/sync/change-reflected'
import { findCreatedUser } from '../../../../renderer/src/sync/find-created-user'
import { createBody, emailChange, nameChange, serverUser } from '../../../support/sync/fixtures'

describe('changeIsReflected', () => {
  it('compares the changed fields, ignoring proof', () => {
    const user = serverUser({ first_name: 'Eva', last_name: 'Lang' })
    expect(changeIsReflected(nameChange('Eva', 'Lang'), user)).toBe(true)
    expect(changeIsReflected(nameChange('Eva', 'Kurz'), user)).toBe(false)
    expect(changeIsReflected(emailChange('a@b.de'), { ...user, email: 'a@b.de' })).toBe(true)
  })

  it('treats missing and undefined alike, deeply', () => {
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true)
    expect(sameValue({ a: [1, { c: 2 }] }, { a: [1, { c: 2 }] })).toBe(true)
    expect(sameValue({ a: [1] }, { a: [1, 2] })).toBe(false)
    expect(sameValue(null, {})).toBe(false)
  })
})

describe('findCreatedUser', () => {
  it('matches name, birth date and address among users created since the first send', () => {
    const body = createBody(1)
    const sentAt = Date.parse('2026-01-01T00:00:00Z')
    const match = serverUser({ ...body, created_at: '2026-01-01T00:05:00Z' })
    const older = serverUser({ ...body, created_at: '2025-06-01T00:00:00Z' })
    const other = serverUser({ ...body, first_name: 'Other', created_at: '2026-01-01T00:05:00Z' })
    expect(findCreatedUser(body, [other, older, match], sentAt)).toBe(match)
    expect(findCreatedUser(body, [other, older], sentAt)).toBeUndefined()
  })
})
