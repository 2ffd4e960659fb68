/**
 * The UI language: follows the OS until the user picks one, then remembers the choice.
 * Keeps vue-i18n, the <html lang> attribute and storage in step.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { browserStorage, ensureLocaleLoaded, i18n } from '../i18n'
import { LOCALE_STORAGE_KEY, type Locale } from '../i18n/locale'

export const useLocaleStore = defineStore('locale', () => {
  const global = i18n.global
  const locale = ref<Locale>(global.locale.value === 'de' ? 'de' : 'en')

  function apply(next: Locale): void {
    locale.value = next
    global.locale.value = next
    if (globalThis.document !== undefined) globalThis.document.documentElement.lang = next
  }

  /** Loads the language's messages (a chunk of its own) before switching to it. */
  async function choose(next: Locale): Promise<void> {
    browserStorage()?.setItem(LOCALE_STORAGE_KEY, next)
    await ensureLocaleLoaded(next)
    apply(next)
  }

  apply(locale.value)
  return { locale, choose }
})
