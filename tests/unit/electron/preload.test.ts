import { describe, expect, it, vi } from 'vitest'
import { IPC_METHODS, eventChannel, methodChannel } from '../../../shared/ipc/contract'

const exposed = new Map<string, unknown>()
const invoked: Array<{ channel: string; input: unknown }> = []
const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      invoked.push({ channel, input })
      return { ok: true, value: null }
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)?.add(listener)
    },
    removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.get(channel)?.delete(listener),
  },
}))

await import('../../../electron/preload/index')

type Exposed = Record<string, unknown> & { on: (event: string, handler: (payload: unknown) => void) => () => void }

describe('preload', () => {
  const outpost = exposed.get('outpost') as Exposed

  it('exposes exactly one frozen object: one method per contract key plus on, nothing else', () => {
    expect([...exposed.keys()]).toEqual(['outpost'])
    expect(Object.isFrozen(outpost)).toBe(true)
    expect(Object.keys(outpost).sort()).toEqual([...IPC_METHODS, 'on'].sort())
    expect(Object.values(outpost).every((v) => typeof v === 'function')).toBe(true)
  })

  it('invokes each method on its own channel with the input as given', async () => {
    await (outpost.getUser as (input: unknown) => Promise<unknown>)({ userId: 'u1' })
    expect(invoked.at(-1)).toEqual({ channel: methodChannel('getUser'), input: { userId: 'u1' } })
  })

  it('subscribes to contract events only, and unsubscribes', () => {
    const seen: unknown[] = []
    const off = outpost.on('syncRequested', (payload) => seen.push(payload))
    const channel = eventChannel('syncRequested')
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'main' }, { source: 'menu' })
    expect(seen).toEqual([{ source: 'menu' }])
    off()
    expect(listeners.get(channel)?.size).toBe(0)
    expect(() => outpost.on('some-internal-channel', () => undefined)).toThrow(/unknown event/)
  })
})
