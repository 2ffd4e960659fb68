import { describe, expect, it } from 'vitest'
import { acquireDrainLock } from '../../../../renderer/src/sync/drain-lock'

describe('acquireDrainLock (in-process fallback)', () => {
  it('grants one holder at a time, in order, and honours abort', async () => {
    const name = `lock-${Math.random()}`
    const first = await acquireDrainLock(name, new AbortController().signal, undefined)
    const order: string[] = []
    const second = acquireDrainLock(name, new AbortController().signal, undefined).then((r) => (order.push('second'), r))
    const aborter = new AbortController()
    const third = acquireDrainLock(name, aborter.signal, undefined)
    aborter.abort(new Error('closed'))
    await expect(third).rejects.toThrow('closed')
    await Promise.resolve()
    expect(order).toEqual([])
    first()
    const release = await second
    expect(order).toEqual(['second'])
    release()
    const again = await acquireDrainLock(name, new AbortController().signal, undefined)
    again()
  })

  it('uses Web Locks when present', async () => {
    const requests: string[] = []
    const locks = {
      request: async (name: string, _opts: { signal?: AbortSignal }, cb: () => Promise<void>) => {
        requests.push(name)
        await cb()
      },
    }
    const release = await acquireDrainLock('web', new AbortController().signal, locks)
    expect(requests).toEqual(['web'])
    release()
  })
})
