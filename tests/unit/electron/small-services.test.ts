import { describe, expect, it } from 'vitest'
import { createConnectivity } from '../../../electron/services/connectivity/connectivity'
import { backoffDelay } from '../../../electron/services/poller/backoff'
import { visibleBounds } from '../../../electron/services/window-state/window-state'

describe('backoffDelay', () => {
  const policy = { baseMs: 1000, capMs: 8000 }
  it('doubles per attempt up to the cap, with jitter in the upper half', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000, 4000])
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 8000])
  })
})

describe('visibleBounds', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1080 }
  it('keeps bounds on a connected display and drops them when off-screen', () => {
    expect(visibleBounds({ x: 100, y: 100, width: 1000, height: 700 }, [screen])).toEqual({ x: 100, y: 100, width: 1000, height: 700 })
    expect(visibleBounds({ x: 2500, y: 100, width: 1000, height: 700 }, [screen])).toBeUndefined()
    expect(visibleBounds(undefined, [screen])).toBeUndefined()
  })
})

describe('connectivity', () => {
  /** A probe the test answers by hand, so every transition is driven, not timed. */
  function manualProbe() {
    const pending: Array<(ok: boolean) => void> = []
    return {
      probe: () => new Promise<boolean>((resolve) => pending.push(resolve)),
      answer(ok: boolean) {
        const next = pending.shift()
        if (!next) throw new Error('no probe waiting')
        next(ok)
      },
    }
  }

  it('goes online on a good probe, needs two failures to go offline, and signals back-online', async () => {
    const manual = manualProbe()
    const connectivity = createConnectivity({ probe: manual.probe, onlineIntervalMs: 60_000, offlineIntervalMs: 60_000 })
    const changes: boolean[] = []
    let backOnline = 0
    connectivity.onChange((s) => changes.push(s.online))
    connectivity.onBackOnline(() => backOnline++)
    const first = connectivity.check()
    manual.answer(true)
    await first
    expect(connectivity.state().online).toBe(true)
    const second = connectivity.check()
    manual.answer(false)
    await second
    expect(connectivity.state().online).toBe(true) // one lost probe is noise
    const third = connectivity.check()
    manual.answer(false)
    await third
    expect(connectivity.state().online).toBe(false)
    const fourth = connectivity.check()
    manual.answer(true)
    await fourth
    expect(changes).toEqual([true, false, true])
    // The first probe only learned the state: back online once, after the real outage.
    expect(backOnline).toBe(1)
    connectivity.stop()
  })

  it('believes an OS offline signal at once and coalesces concurrent checks', async () => {
    const manual = manualProbe()
    const connectivity = createConnectivity({ probe: manual.probe, debounceMs: 60_000 })
    const a = connectivity.check()
    const b = connectivity.check()
    manual.answer(true)
    expect(await a).toEqual(await b)
    expect(connectivity.state().online).toBe(true)
    connectivity.signal({ online: false })
    expect(connectivity.state().online).toBe(false)
    connectivity.stop()
  })
})
