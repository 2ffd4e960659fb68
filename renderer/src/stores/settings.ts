/**
 * Settings as main holds them: the non-secret part, and only whether each secret is set.
 * Secrets typed here go to main once and are never read back.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ConnectionTest } from '../../../shared/ipc/contract'
import type { PublicSettings, SettingsUpdate } from '../../../shared/settings'
import { getTransport } from '../transport'
import { adoptCurrent, currentAppDatabase, planFor, targetOf } from '../db/app-database'
import { useSyncStore } from './sync'

/** Starts the app again (the run token of the web host survives in sessionStorage). */
function reloadApp(): void {
  globalThis.location.reload()
}

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

  /**
   * Returns an error message, or null when saved. Settings that point to another API target
   * (address or client id) switch to that target's database: sending stops first, so nothing
   * queued for the old target goes to the new one, and the app starts again on the new one.
   */
  async function save(update: SettingsUpdate): Promise<string | null> {
    const transport = getTransport()
    const sync = useSyncStore()
    const target = targetOf(update.settings)
    let switching = false
    try {
      const plan = target === null ? null : await planFor(transport, target)
      switching = plan !== null && plan.name !== currentAppDatabase().name
      if (switching) await sync.stop()
      current.value = await transport.saveSettings(update)
      if (switching) {
        reloadApp()
        return null
      }
      // The first target configured takes over the database used so far (and its queue).
      if (target !== null && plan?.adopts === true) await adoptCurrent(transport, target)
      // New credentials or a new address: a client paused for refused credentials tries again.
      sync.syncNow()
      return null
    } catch (e) {
      // Not saved: the old target is still the one, so its sending resumes.
      if (switching) sync.start()
      return message(e)
    }
  }

  async function testConnection(): Promise<void> {
    testing.value = true
    try {
      testResult.value = await getTransport().testConnection()
    } catch (e) {
      // Main (or the web host) did not answer: nothing was tested.
      const untested = { ok: false, outcome: 'app_service', detail: message(e) } as const
      testResult.value = { api: untested, bridge: untested }
    } finally {
      testing.value = false
    }
  }

  return { current, loadError, testResult, testing, load, save, testConnection }
})
