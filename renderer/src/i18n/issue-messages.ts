/**
 * German wording of the validation messages the shared zod schemas produce. The schemas
 * stay in English (the API's language); the UI translates the ones it knows and shows
 * any other message as it is.
 */
import type { Locale } from './locale'

const DE: Readonly<Record<string, string>> = {
  'is required': 'ist erforderlich',
  'must be at least 2 characters': 'muss mindestens 2 Zeichen haben',
  'must be at most 100 characters': 'darf höchstens 100 Zeichen haben',
  'must be at most 85 characters': 'darf höchstens 85 Zeichen haben',
  'must be at most 50 characters': 'darf höchstens 50 Zeichen haben',
  'must be at most 1000 characters': 'darf höchstens 1000 Zeichen haben',
  'must be 1 to 10 letters, digits, spaces or hyphens': 'muss 1 bis 10 Buchstaben, Ziffern, Leerzeichen oder Bindestriche haben',
  'must not be a P.O. box, Postfach or c/o address': 'darf kein Postfach und keine c/o-Adresse sein',
  'must be an ISO 3166-1 alpha-2 country code': 'muss ein Land sein (ISO 3166-1 Alpha-2)',
  'is not an ISO 3166-1 alpha-2 country code': 'ist kein bekanntes Land (ISO 3166-1 Alpha-2)',
  'must be a date in YYYY-MM-DD format': 'muss ein Datum sein (JJJJ-MM-TT)',
  'must be a real calendar date': 'muss ein echtes Kalenderdatum sein',
  'must be a date between 1900-01-01 and today': 'muss zwischen 1900-01-01 und heute liegen',
  'must name at least one nationality': 'braucht mindestens eine Staatsangehörigkeit',
  'must be a valid email address': 'muss eine gültige E-Mail-Adresse sein',
  'must be 8 to 15 digits (E.164 without +)': 'muss 8 bis 15 Ziffern haben (E.164 ohne +)',
  'must be a UUID': 'muss eine UUID sein',
  'must be an http(s) URL': 'muss eine http(s)-URL sein',
  'must change at least one field': 'muss mindestens ein Feld ändern',
  'must be an RFC 3339 date-time': 'muss ein Zeitpunkt nach RFC 3339 sein',
  'must be a PEM private key': 'muss ein privater Schlüssel im PEM-Format sein',
  'must name at least one scope': 'braucht mindestens einen Scope',
}

export function localizeIssue(message: string, locale: Locale): string {
  if (locale === 'de') return DE[message] ?? message
  return message
}
