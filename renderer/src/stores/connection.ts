/**
 * The one answer to "can I rely on the app being in touch?" for the status bar: the device's
 * network flag, main's probe, the engine's phase, the API's last answer and the bridge's
 * word on its webhook subscription (live updates), turned into one
 * ConnectionState; plus a clock for relative times and a sign-of-life check of the API when
 * it has not answered lately (an idle engine sends nothing).
 */
import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import { connectionState, CONTACT_FRESH_MS } from '../sync/connection-state'
import { getTransport } from '../transport'
import { useSyncStore } from './sync'

/** The clock behind relative times and freshness ticks this often. */
const CLOCK_TICK_MS = 5_000
/** A contact older than this is refreshed by asking the API (well inside CONTACT_FRESH_MS). */
const CONTACT_CHECK_AFTER_MS = CONTACT_FRESH_MS / 3

export const useConnectionStore = defineStore('connection', () => {
  const sync = useSyncStore()
  const now = ref(Date.now())
  const deviceOnline = ref(globalThis.navigator?.onLine ?? true)
  /** The bridge's word on its webhook subscription; null until it said (older bridges never do). */
  const live = ref<boolean | null>(null)
  let checking = false

  const lastContact = computed(() => {
    const times = [sync.snapshot?.lastSuccess ?? null, sync.overview.lastSuccess].filter((t): t is number => t !== null)
    return times.length === 0 ? null : Math.max(...times)
  })
  const phase = computed(() => sync.snapshot?.phase ?? sync.overview.status.phase)
  const state = computed(() =>
    connectionState({
      deviceOnline: deviceOnline.value,
      apiReachable: sync.snapshot?.online ?? sync.overview.status.online,
      phase: phase.value,
      lastContact: lastContact.value,
      live: live.value,
      now: now.value,
    }),
  )
  /** The last completed sync: the queue drained in this tab, or the last full reconcile. */
  const lastCompletedSync = computed(() => {
    const times = [sync.lastDrained, sync.overview.lastFullReconcile].filter((t): t is number => t !== null)
    return times.length === 0 ? null : Math.max(...times)
  })

  async function tick(): Promise<void> {
    now.value = Date.now()
    const stale = lastContact.value === null || now.value - lastContact.value > CONTACT_CHECK_AFTER_MS
    if (!stale || checking || !deviceOnline.value) return
    checking = true
    try {
      await sync.checkContact()
    } finally {
      checking = false
      now.value = Date.now()
    }
  }

  const setDevice = () => {
    deviceOnline.value = globalThis.navigator?.onLine ?? true
    void tick()
  }
  globalThis.addEventListener?.('online', setDevice)
  globalThis.addEventListener?.('offline', setDevice)
  const timer = setInterval(() => void tick(), CLOCK_TICK_MS)
  const stopLive = getTransport().on('liveUpdates', (status) => (live.value = status.live))
  onScopeDispose(() => {
    stopLive()
    clearInterval(timer)
    globalThis.removeEventListener?.('online', setDevice)
    globalThis.removeEventListener?.('offline', setDevice)
  })

  return { state, now, lastContact, lastCompletedSync }
})
