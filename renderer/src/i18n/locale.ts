/**
 * Which UI language to use: the persisted choice if any, else the OS/browser language.
 * Pure helpers so the choice can be tested without a DOM; storage is passed in.
 */
export const LOCALES = ['en', 'de'] as const
export type Locale = (typeof LOCALES)[number]

export const LOCALE_STORAGE_KEY = 'outpost.locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** `de-AT` -> `de`; anything we do not translate falls back to English. */
export function localeFromLanguage(language: string | undefined): Locale {
  const base = (language ?? '').toLowerCase().split('-')[0]
  return isLocale(base) ? base : 'en'
}

export interface LocaleStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export function initialLocale(storage: LocaleStorage | undefined, language: string | undefined): Locale {
  const saved = storage?.getItem(LOCALE_STORAGE_KEY)
  return isLocale(saved) ? saved : localeFromLanguage(language)
}
