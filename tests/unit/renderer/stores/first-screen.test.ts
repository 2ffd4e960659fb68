/** The start's order: work that can wait begins once the first screen is shown, or after a bound. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

type FirstScreen = typeof import('../../../../renderer/src/stores/first-screen')
const load = async (): Promise<FirstScreen> => {
  vi.resetModules()
  return import('../../../../renderer/src/stores/first-screen')
}
const settled = async (promise: Promise<void>) => {
  let done = false
  void promise.then(() => (done = true))
  await vi.advanceTimersByTimeAsync(0)
  return done
}

describe('first screen', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('waits for the first screen, not for the bound, when the screen comes first', async () => {
    const { afterFirstScreen, firstScreenShown } = await load()
    const waiting = afterFirstScreen(1_000)
    await vi.advanceTimersByTimeAsync(200)
    expect(await settled(waiting)).toBe(false)
    firstScreenShown()
    expect(await settled(waiting)).toBe(true)
    // Asked later, it is already shown.
    expect(await settled(afterFirstScreen(1_000))).toBe(true)
  })

  it('goes on after the bound when no screen says it is shown', async () => {
    const { afterFirstScreen, FIRST_SCREEN_WAIT_MS } = await load()
    const waiting = afterFirstScreen()
    await vi.advanceTimersByTimeAsync(FIRST_SCREEN_WAIT_MS - 1)
    expect(await settled(waiting)).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await settled(waiting)).toBe(true)
  })
})
