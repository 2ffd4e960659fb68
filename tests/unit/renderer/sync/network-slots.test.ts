import { describe, expect, it } from 'vitest'
import { NetworkSlots } from '../../../../renderer/src/sync/network-slots'

const settled = async (p: Promise<void>) => {
  let done = false
  void p.then(() => (done = true))
  await new Promise((r) => setTimeout(r, 0))
  return done
}

describe('NetworkSlots', () => {
  it('grants free slots at once and hands a freed slot to the longest waiter', async () => {
    const slots = new NetworkSlots(2)
    expect(await settled(slots.acquire('a'))).toBe(true)
    expect(await settled(slots.acquire('b'))).toBe(true)
    const c = slots.acquire('c')
    const d = slots.acquire('d')
    expect(await settled(c)).toBe(false)
    slots.release('a')
    expect(await settled(c)).toBe(true)
    expect(await settled(d)).toBe(false)
    expect(slots.inUse).toBe(2)
  })

  it('ignores a release by a lane without a slot, and a second acquire by a holder', async () => {
    const slots = new NetworkSlots(1)
    await slots.acquire('a')
    expect(await settled(slots.acquire('a'))).toBe(true)
    const b = slots.acquire('b')
    slots.release('x')
    expect(await settled(b)).toBe(false)
    slots.release('a')
    slots.release('a')
    expect(await settled(b)).toBe(true)
    expect(slots.inUse).toBe(1)
  })

  it('lets every waiter go when closed', async () => {
    const slots = new NetworkSlots(1)
    await slots.acquire('a')
    const waiting = [slots.acquire('b'), slots.acquire('c')]
    slots.close()
    expect(await Promise.all(waiting.map(settled))).toEqual([true, true])
  })
})
