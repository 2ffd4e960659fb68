/**
 * Wakes the runtime when the machine comes back: resume from sleep and screen unlock
 * (a long-poll socket may be dead without knowing it), and network changes, which
 * Electron's main process only offers as `net.isOnline()`, so it is sampled.
 */
import { net, powerMonitor } from 'electron'
import type { AppRuntime } from '../services/runtime/app-runtime'

/** How often the OS network flag is sampled; cheap, it reads a cached value. */
export const NETWORK_SAMPLE_MS = 3_000

export function watchSystemEvents(runtime: AppRuntime): () => void {
  const onResume = () => {
    runtime.wake('resume')
    runtime.requestSync('resume')
  }
  const onUnlock = () => runtime.wake('unlock')
  powerMonitor.on('resume', onResume)
  powerMonitor.on('unlock-screen', onUnlock)
  let online = net.isOnline()
  const sampler = setInterval(() => {
    const now = net.isOnline()
    if (now === online) return
    online = now
    runtime.connectivity.signal({ online: now })
    if (now) runtime.wake('network')
  }, NETWORK_SAMPLE_MS)
  return () => {
    clearInterval(sampler)
    powerMonitor.off('resume', onResume)
    powerMonitor.off('unlock-screen', onUnlock)
  }
}
