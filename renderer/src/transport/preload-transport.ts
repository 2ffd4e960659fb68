/**
 * The transport inside the Electron window: wraps the preload's `window.outpost` bridge,
 * which answers raw envelopes, and parses every answer and push with the contract.
 */
import { IPC_METHODS } from '../../../shared/ipc/contract'
import type { OutpostBridge } from '../../../shared/ipc/bridge'
import { parsePush, unwrapEnvelope } from './envelope'
import type { OutpostTransport } from './types'

export function createPreloadTransport(bridge: OutpostBridge): OutpostTransport {
  const methods = Object.fromEntries(
    IPC_METHODS.map((method) => [method, async (input?: unknown) => unwrapEnvelope(method, await bridge[method](input))]),
  )
  const on: OutpostTransport['on'] = (event, handler) =>
    bridge.on(event, (raw) => {
      const payload = parsePush(event, raw)
      if (payload !== undefined) handler(payload)
    })
  return { ...methods, on, kind: 'electron' } as unknown as OutpostTransport
}
