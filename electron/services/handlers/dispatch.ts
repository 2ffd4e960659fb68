/**
 * Runs one contract call from an untrusted caller (a renderer over IPC, a page over HTTP):
 * parses the input with the contract, calls the handler, parses the output, and turns
 * every failure into the one `IpcEnvelope` shape. Sender checks are the transport's job.
 */
import { ipcContract, type IpcEnvelope, type IpcMethod } from '../../../shared/ipc/contract'
import { ParseError, safeParseUnknown } from '../../../shared/parse'
import type { Handler, Handlers } from './create-handlers'

export function isIpcMethod(name: string): name is IpcMethod {
  return Object.hasOwn(ipcContract, name)
}

export function dispatch(handlers: Handlers, method: IpcMethod, rawInput: unknown): Promise<IpcEnvelope> {
  // The table is keyed by method, so this handler takes exactly this method's parsed input.
  return dispatchTo(handlers[method] as Handler<IpcMethod>, method, rawInput)
}

export async function dispatchTo<M extends IpcMethod>(handler: Handler<M>, method: M, rawInput: unknown): Promise<IpcEnvelope> {
  const contract = ipcContract[method]
  const input = safeParseUnknown(contract.input, rawInput)
  if (!input.ok) return { ok: false, failure: { code: 'invalid_input', message: `${method}: invalid input`, issues: [...input.issues] } }
  let value: unknown
  try {
    value = await (handler as (input: unknown) => Promise<unknown>)(input.value)
  } catch (error) {
    if (error instanceof ParseError)
      return { ok: false, failure: { code: 'invalid_input', message: error.message, issues: [...error.issues] } }
    return {
      ok: false,
      failure: { code: 'internal', message: `${method} failed: ${error instanceof Error ? error.message : String(error)}`, issues: [] },
    }
  }
  const output = safeParseUnknown(contract.output, value)
  if (!output.ok)
    return {
      ok: false,
      failure: { code: 'invalid_output', message: `${method}: main produced an invalid answer`, issues: [...output.issues] },
    }
  return { ok: true, value: output.value }
}
