/**
 * Turns what came back from main (an `IpcEnvelope`, untrusted until parsed) into the
 * contract's output type, or throws `IpcCallError` with the failure code. A push payload is
 * parsed the same way; one that does not parse is dropped with a warning, never applied.
 */
import {
  IpcEnvelopeSchema,
  ipcContract,
  ipcEvents,
  type IpcEventName,
  type IpcEventPayload,
  type IpcFailure,
  type IpcMethod,
  type IpcOutput,
} from '../../../shared/ipc/contract'
import { safeParseUnknown } from '../../../shared/parse'

export class IpcCallError extends Error {
  override readonly name = 'IpcCallError'
  constructor(
    readonly method: IpcMethod,
    readonly failure: IpcFailure,
  ) {
    super(`${method}: ${failure.code}: ${failure.message}`)
  }
}

export function unwrapEnvelope<M extends IpcMethod>(method: M, raw: unknown): IpcOutput<M> {
  const envelope = safeParseUnknown(IpcEnvelopeSchema, raw)
  if (!envelope.ok)
    throw new IpcCallError(method, {
      code: 'internal',
      message: 'main answered something that is not an IPC envelope',
      issues: [...envelope.issues],
    })
  if (!envelope.value.ok) throw new IpcCallError(method, envelope.value.failure)
  const output = safeParseUnknown(ipcContract[method].output, envelope.value.value)
  if (!output.ok)
    throw new IpcCallError(method, {
      code: 'invalid_output',
      message: 'the answer does not match the contract',
      issues: [...output.issues],
    })
  return output.value as IpcOutput<M>
}

export function parsePush<E extends IpcEventName>(event: E, raw: unknown): IpcEventPayload<E> | undefined {
  const parsed = safeParseUnknown(ipcEvents[event], raw)
  if (parsed.ok) return parsed.value as IpcEventPayload<E>
  console.warn(`transport: dropped a ${event} push that does not match the contract`, parsed.issues)
  return undefined
}
