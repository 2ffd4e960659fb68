/**
 * What the sync engine needs from the outside world: the IPC contract's API methods with
 * the same names and signatures as the renderer transport (so the app passes getTransport(),
 * and tests pass the real API client through a small adapter), plus optional push events.
 */
import type { IpcEventName, IpcEventPayload, IpcInput, IpcOutput } from '../../../shared/ipc/contract'

export const SYNC_METHODS = ['createUser', 'getUser', 'listUsers', 'requestDataChange', 'offboardUser', 'confirmFeedBatch'] as const
export type SyncMethod = (typeof SYNC_METHODS)[number]

export type SyncTransport = { readonly [M in SyncMethod]: (input: IpcInput<M>) => Promise<IpcOutput<M>> } & {
  /** Proof files to the team server before their change is sent; absent, such a change is parked. */
  readonly uploadProofDocument?: (input: IpcInput<'uploadProofDocument'>) => Promise<IpcOutput<'uploadProofDocument'>>
  /** Push events (feed batches, connectivity); absent in tests that feed the engine directly. */
  readonly on?: <E extends IpcEventName>(event: E, handler: (payload: IpcEventPayload<E>) => void) => () => void
}
