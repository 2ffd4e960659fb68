/**
 * vue-i18n setup (Composition API mode). Messages are plain objects, compiled at run time
 * by vue-i18n's JIT compiler, which needs no eval and so passes the strict CSP.
 */
import { createI18n } from 'vue-i18n'
import { de } from './messages/de'
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

export function createAppI18n(locale: Locale = initialLocale(browserStorage(), globalThis.navigator?.language)) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, de },
    datetimeFormats: {
      en: { short: { dateStyle: 'medium' }, long: { dateStyle: 'medium', timeStyle: 'short' } },
      de: { short: { dateStyle: 'medium' }, long: { dateStyle: 'medium', timeStyle: 'short' } },
    },
  })
}

/** The app's one i18n instance: stores and non-component code translate through it. */
export const i18n = createAppI18n()

export { browserStorage }
