/** How a cached user row is named and located in the UI, whether server truth or local draft. */
import type { UserRow } from '../../db/rows'

export function displayName(row: Pick<UserRow, 'user' | 'draft' | 'name'>): string {
  const person = row.user ?? row.draft
  return person === null ? row.name : `${person.first_name} ${person.last_name}`
}

export function displayCity(row: Pick<UserRow, 'user' | 'draft' | 'city'>): string {
  return (row.user ?? row.draft)?.address.city ?? row.city
}
