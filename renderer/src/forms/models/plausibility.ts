/**
 * Checks that warn but never block: the API accepts these values, yet they are more often a
 * slip than the truth (a child's birth date, a home in Antarctica). The form shows them
 * next to the field and saves anyway.
 */

/** Under 18 on `today` (local calendar); false for anything that is not a full date. */
export function isUnder18(birthDate: string, today: Date = new Date()): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate)
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const eighteenth = new Date(year + 18, month - 1, day)
  return eighteenth.getTime() > new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime()
}

/** Antarctica (AQ) has no residents: as a home country it is most likely a slip in the list. */
export function isImplausibleHomeCountry(country: string): boolean {
  return country === 'AQ'
}
