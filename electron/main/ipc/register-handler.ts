/**
 * The one place main registers IPC (lint bans raw `ipcMain.handle` elsewhere): each
 * contract method gets a handler that first checks the sender, then runs the shared
 * `dispatch` (parse input with the contract, call, parse output, map errors to the
 * `IpcEnvelope`). The handler table itself is transport-free (services/handlers).
 */
import { ipcMain } from 'electron'
import { IPC_METHODS, methodChannel, type IpcEnvelope, type IpcMethod } from '../../../shared/ipc/contract'
import type { Handler, Handlers } from '../../services/handlers/create-handlers'
import { dispatchTo } from '../../services/handlers/dispatch'
import type { SenderCheck } from './trusted-sender'

const FORBIDDEN: IpcEnvelope = { ok: false, failure: { code: 'forbidden_sender', message: 'this frame may not call main', issues: [] } }

export function registerHandler<M extends IpcMethod>(method: M, handler: Handler<M>, isTrustedSender: SenderCheck): () => void {
  const channel = methodChannel(method)
  ipcMain.handle(channel, async (event, input: unknown) => (isTrustedSender(event) ? dispatchTo(handler, method, input) : FORBIDDEN))
  return () => ipcMain.removeHandler(channel)
}

/** Registers every contract method; returns one function that removes them all. */
export function registerHandlers(handlers: Handlers, isTrustedSender: SenderCheck): () => void {
  const removers = IPC_METHODS.map((method) => registerHandler(method, handlers[method] as Handler<IpcMethod>, isTrustedSender))
  return () => removers.forEach((remove) => remove())
}
