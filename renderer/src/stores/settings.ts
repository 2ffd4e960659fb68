/**
 * Settings as main holds them: the non-secret part, and only whether each secret is set.
 * Secrets typed here go to main once and are never read back.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ConnectionTest } from '../../../shared/ipc/contract'
import type { PublicSettings, SettingsUpdate } from '../../../shared/settings'
import { getTransport } from '../transport'
import { useSyncStore } from './sync'

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export const useSettingsStore = defineStore('settings', () => {
  const current = shallowRef<PublicSettings | null>(null)
  const loadError = ref<string | null>(null)
  const testResult = shallowRef<ConnectionTest | null>(null)
  const testing = ref(false)

  async function load(): Promise<void> {
    try {
      current.value = await getTransport().getSettings()
      loadError.value = null
    } catch (e) {
      loadError.value = message(e)
    }
  }

  /** Returns an error message, or null when saved. */
  async function save(update: SettingsUpdate): Promise<string | null> {
    try {
      current.value = await getTransport().saveSettings(update)
      // New credentials or a new address: a client paused for refused credentials tries again.
      useSyncStore().syncNow()
      return null
    } catch (e) {
      return message(e)
    }
  }

  async function testConnection(): Promise<void> {
    testing.value = true
    try {
      testResult.value = await getTransport().testConnection()
    } catch (e) {
      testResult.value = { api: { ok: false, message: message(e) }, bridge: { ok: false, message: message(e) } }
    } finally {
      testing.value = false
    }
  }

  return { current, loadError, testResult, testing, load, save, testConnection }
})
