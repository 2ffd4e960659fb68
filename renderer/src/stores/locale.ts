/**
 * The UI language: follows the OS until the user picks one, then remembers the choice.
 * Keeps vue-i18n, the <html lang> attribute and storage in step.
 */
import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import { I18nInjectionKey } from 'vue-i18n'
import { browserStorage } from '../i18n'
import { LOCALE_STORAGE_KEY, type Locale } from '../i18n/locale'

export const useLocaleStore = defineStore('locale', () => {
  // Pinia runs setup stores inside the app's context, so the app-level i18n is injectable.
  const i18n = inject(I18nInjectionKey)
  if (i18n === undefined) throw new Error('vue-i18n must be installed before the locale store is used')
  const global = i18n.global as unknown as { locale: { value: string } }
  const locale = ref<Locale>(global.locale.value === 'de' ? 'de' : 'en')

  function apply(next: Locale): void {
    locale.value = next
    global.locale.value = next
    if (globalThis.document !== undefined) globalThis.document.documentElement.lang = next
  }

  function choose(next: Locale): void {
    apply(next)
    browserStorage()?.setItem(LOCALE_STORAGE_KEY, next)
  }

  apply(locale.value)
  return { locale, choose }
})
