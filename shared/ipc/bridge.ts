/**
 * The shape of `window.outpost`, the one object the preload exposes: one method per
 * contract key answering the raw `IpcEnvelope` (unknown until parsed), and `on` for pushes
 * with unparsed payloads. Only renderer/src/transport reads it, and parses everything.
 */
import type { IpcEventName, IpcMethod } from './contract'

export type OutpostBridge = { readonly [M in IpcMethod]: (input?: unknown) => Promise<unknown> } & {
  readonly on: (event: IpcEventName, handler: (payload: unknown) => void) => () => void
}
