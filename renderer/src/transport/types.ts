/**
 * The renderer's view of main, derived from the IPC contract: one async method per
 * contract key with the same name (parsed input in, parsed output back) plus `on` for
 * pushes. Stores and the sync engine depend on this type, never on how calls travel.
 */
import type { IpcEventName, IpcEventPayload, IpcInput, IpcMethod, IpcOutput } from '../../../shared/ipc/contract'

/** Methods whose input schema is `undefined` may be called with no argument. */
type Args<M extends IpcMethod> = undefined extends IpcInput<M> ? [input?: IpcInput<M>] : [input: IpcInput<M>]

export type OutpostTransport = { readonly [M in IpcMethod]: (...args: Args<M>) => Promise<IpcOutput<M>> } & {
  /** Subscribes to a push; returns the function that unsubscribes. */
  readonly on: <E extends IpcEventName>(event: E, handler: (payload: IpcEventPayload<E>) => void) => () => void
  readonly kind: 'electron' | 'web'
}
