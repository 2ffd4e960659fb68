/**
 * Online/offline as the app should act on it: a cheap probe of the API, run on a timer and
 * whenever the OS says something changed (network, resume, unlock), with signals debounced
 * into one probe and a single failed probe not enough to call us offline. Exposes the
 * state, change listeners and a "back online" signal (the poller and the sync engine wake on it).
 */
import type { ConnectivityState } from '../../../shared/ipc/contract'

/** How often to probe while online / while offline (recover fast, cost little). */
export const PROBE_INTERVAL_ONLINE_MS = 30_000
export const PROBE_INTERVAL_OFFLINE_MS = 5_000
/** OS signals arrive in bursts (wifi flaps, resume + unlock): one probe after they settle. */
export const SIGNAL_DEBOUNCE_MS = 500
/** One lost probe is noise; this many in a row is offline. */
export const FAILURES_BEFORE_OFFLINE = 2

export type Probe = () => Promise<boolean>

export interface ConnectivityOptions {
  readonly probe: Probe
  readonly onlineIntervalMs?: number
  readonly offlineIntervalMs?: number
  readonly debounceMs?: number
  readonly now?: () => Date
}

export interface Connectivity {
  state(): ConnectivityState
  /** Probes now; resolves once the state reflects the probe. */
  check(): Promise<ConnectivityState>
  /** The OS reported a change; `online: false` from the OS is believed at once. */
  signal(hint?: { online: boolean }): void
  onChange(listener: (state: ConnectivityState) => void): () => void
  onBackOnline(listener: () => void): () => void
  start(): void
  stop(): void
}

export function createConnectivity(options: ConnectivityOptions): Connectivity {
  const now = options.now ?? (() => new Date())
  let current: ConnectivityState = { online: false, since: now().toISOString() }
  let known = false
  let failures = 0
  let timer: NodeJS.Timeout | undefined
  let debounce: NodeJS.Timeout | undefined
  let running = false
  let probing: Promise<ConnectivityState> | undefined
  const changeListeners = new Set<(state: ConnectivityState) => void>()
  const backOnlineListeners = new Set<() => void>()

  function set(online: boolean): void {
    // The state starts as a guess (offline); the first answer only learns it, so it is not
    // "back online" (that would cut off the feed long-poll just opened at start-up).
    const learning = !known
    known = true
    if (online === current.online) return
    current = { online, since: now().toISOString() }
    for (const listener of changeListeners) listener(current)
    if (online && !learning) for (const listener of backOnlineListeners) listener()
  }

  function schedule(): void {
    if (!running) return
    clearTimeout(timer)
    const delay = current.online
      ? (options.onlineIntervalMs ?? PROBE_INTERVAL_ONLINE_MS)
      : (options.offlineIntervalMs ?? PROBE_INTERVAL_OFFLINE_MS)
    timer = setTimeout(() => void check(), delay)
  }

  async function runProbe(): Promise<ConnectivityState> {
    let ok: boolean
    try {
      ok = await options.probe()
    } catch {
      ok = false
    }
    if (ok) {
      failures = 0
      set(true)
    } else {
      failures++
      if (failures >= FAILURES_BEFORE_OFFLINE || !current.online) set(false)
    }
    schedule()
    return current
  }

  function check(): Promise<ConnectivityState> {
    probing ??= runProbe().finally(() => {
      probing = undefined
    })
    return probing
  }

  return {
    state: () => current,
    check,
    signal(hint) {
      if (hint?.online === false) {
        failures = FAILURES_BEFORE_OFFLINE
        set(false)
      }
      clearTimeout(debounce)
      debounce = setTimeout(() => void check(), options.debounceMs ?? SIGNAL_DEBOUNCE_MS)
    },
    onChange(listener) {
      changeListeners.add(listener)
      return () => changeListeners.delete(listener)
    },
    onBackOnline(listener) {
      backOnlineListeners.add(listener)
      return () => backOnlineListeners.delete(listener)
    },
    start() {
      if (running) return
      running = true
      void check()
    },
    stop() {
      running = false
      clearTimeout(timer)
      clearTimeout(debounce)
    },
  }
}
