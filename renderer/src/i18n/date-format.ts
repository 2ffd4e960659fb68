/**
 * The day-month-year pattern a date picker shows for a locale ("mm/dd/yyyy", "TT.MM.JJJJ"),
 * so a field's help shows the same format as the control beside it. The picker follows the
 * browser's language; when that is another language than the app's, the app's is used.
 */
import type { Locale } from './locale'

const LETTERS: Readonly<Record<Locale, Readonly<Record<'day' | 'month' | 'year', string>>>> = {
  en: { day: 'dd', month: 'mm', year: 'yyyy' },
  de: { day: 'TT', month: 'MM', year: 'JJJJ' },
}

export function pickerLocale(appLocale: Locale, browserLanguage: string | undefined): string {
  return browserLanguage !== undefined && browserLanguage.toLowerCase().split('-')[0] === appLocale ? browserLanguage : appLocale
}

export function datePattern(appLocale: Locale, browserLanguage: string | undefined = globalThis.navigator?.language): string {
  const letters = LETTERS[appLocale]
  const parts = new Intl.DateTimeFormat(pickerLocale(appLocale, browserLanguage), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(2000, 11, 31))
  return parts
    .map((part) => (part.type === 'day' || part.type === 'month' || part.type === 'year' ? letters[part.type] : part.value))
    .join('')
}
