/**
 * vue-i18n setup (Composition API mode). Messages are plain objects, compiled at run time
 * by vue-i18n's JIT compiler, which needs no eval and so passes the strict CSP. English is
 * built in (the fallback); other languages are chunks loaded before they are shown.
 */
import { createI18n } from 'vue-i18n'
import { en } from './messages/en'
import { initialLocale, type Locale } from './locale'

export type MessageSchema = typeof en

function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage
  } catch {
    // Storage can be disabled (privacy mode); the OS language still works.
    return undefined
  }
}

/** The messages of a language, loading its chunk the first time. */
export async function loadMessages(locale: Locale): Promise<MessageSchema> {
  return locale === 'en' ? en : (await import('./messages/de')).de
}

/** `messages` adds languages besides English (tests pass them; the app loads them, see below). */
export function createAppI18n(
  locale: Locale = initialLocale(browserStorage(), globalThis.navigator?.language),
  messages: Partial<Record<Locale, MessageSchema>> = {},
) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    // Typed as complete; a language missing here is loaded before use (ensureLocaleLoaded).
    messages: { ...messages, en } as Record<Locale, MessageSchema>,
    datetimeFormats: {
      en: { short: { dateStyle: 'medium' }, long: { dateStyle: 'medium', timeStyle: 'short' }, time: { timeStyle: 'short' } },
      de: { short: { dateStyle: 'medium' }, long: { dateStyle: 'medium', timeStyle: 'short' }, time: { timeStyle: 'short' } },
    },
  })
}

/** The app's one i18n instance: stores and non-component code translate through it. */
export const i18n = createAppI18n()

/** Makes `locale`'s messages available to the app's instance (before switching to it). */
export async function ensureLocaleLoaded(locale: Locale): Promise<void> {
  if (i18n.global.availableLocales.includes(locale)) return
  i18n.global.setLocaleMessage(locale, await loadMessages(locale))
}

export { browserStorage }
