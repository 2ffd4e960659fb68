/**
 * Field-worker wording of the validation messages the shared zod schemas produce. The
 * schemas stay in the API's terms ("ISO 3166-1 alpha-2", "E.164"); a person filling in a
 * form reads what to do instead, in their language. Unknown messages are shown as they are.
 */
import type { Locale } from './locale'

const EN: Readonly<Record<string, string>> = {
  'must be at least 2 characters': 'Enter at least 2 letters.',
  'must be at most 100 characters': 'Use at most 100 characters.',
  'must be at most 85 characters': 'Use at most 85 characters.',
  'must be at most 50 characters': 'Use at most 50 characters.',
  'must be at most 1000 characters': 'Use at most 1000 characters.',
  'is required': 'Fill this in.',
  'must be 1 to 10 letters, digits, spaces or hyphens': 'Enter the postcode: letters, digits, spaces or hyphens, at most 10.',
  'must not be a P.O. box, Postfach or c/o address': 'Enter where the person lives: no P.O. box, Postfach or c/o address.',
  'must be an ISO 3166-1 alpha-2 country code': 'Choose a country.',
  'is not an ISO 3166-1 alpha-2 country code': 'Choose a country from the list.',
  'must be a date in YYYY-MM-DD format': 'Enter the full date.',
  'must be a real calendar date': 'Enter a date that exists.',
  'must be a date between 1900-01-01 and today': 'Enter a date between 1900 and today.',
  'must name at least one nationality': 'Add at least one nationality.',
  'must be a valid email address': 'Enter an email address like name@example.com.',
  'must be 8 to 15 digits (E.164 without +)': 'Enter the phone number with its country code, for example +49 30 1234567.',
  'must be a UUID': 'Enter the document id exactly as printed (like 3f2c9a1e-…).',
  'must be an http(s) URL': 'Enter a web link starting with https://.',
  'must change at least one field': 'Fill in at least one thing that changes.',
}

const DE: Readonly<Record<string, string>> = {
  'must be at least 2 characters': 'Bitte mindestens 2 Buchstaben eingeben.',
  'must be at most 100 characters': 'Höchstens 100 Zeichen.',
  'must be at most 85 characters': 'Höchstens 85 Zeichen.',
  'must be at most 50 characters': 'Höchstens 50 Zeichen.',
  'must be at most 1000 characters': 'Höchstens 1000 Zeichen.',
  'is required': 'Bitte ausfüllen.',
  'must be 1 to 10 letters, digits, spaces or hyphens':
    'Bitte die Postleitzahl eingeben: Buchstaben, Ziffern, Leerzeichen oder Bindestriche, höchstens 10.',
  'must not be a P.O. box, Postfach or c/o address': 'Bitte die Wohnadresse eingeben: kein Postfach und keine c/o-Adresse.',
  'must be an ISO 3166-1 alpha-2 country code': 'Bitte ein Land wählen.',
  'is not an ISO 3166-1 alpha-2 country code': 'Bitte ein Land aus der Liste wählen.',
  'must be a date in YYYY-MM-DD format': 'Bitte das vollständige Datum eingeben.',
  'must be a real calendar date': 'Bitte ein Datum eingeben, das es gibt.',
  'must be a date between 1900-01-01 and today': 'Bitte ein Datum zwischen 1900 und heute eingeben.',
  'must name at least one nationality': 'Bitte mindestens eine Staatsangehörigkeit hinzufügen.',
  'must be a valid email address': 'Bitte eine E-Mail-Adresse wie name@beispiel.de eingeben.',
  'must be 8 to 15 digits (E.164 without +)': 'Bitte die Telefonnummer mit Ländervorwahl eingeben, zum Beispiel +49 30 1234567.',
  'must be a UUID': 'Bitte die Dokument-Id genau wie angegeben eingeben (wie 3f2c9a1e-…).',
  'must be an http(s) URL': 'Bitte einen Link eingeben, der mit https:// beginnt.',
  'must change at least one field': 'Bitte mindestens eine Angabe ausfüllen, die sich ändert.',
  'must be an RFC 3339 date-time': 'muss ein Zeitpunkt nach RFC 3339 sein',
  'must be a PEM private key': 'muss ein privater Schlüssel im PEM-Format sein',
  'must name at least one scope': 'braucht mindestens einen Scope',
}

export function localizeIssue(message: string, locale: Locale): string {
  return (locale === 'de' ? DE : EN)[message] ?? message
}
