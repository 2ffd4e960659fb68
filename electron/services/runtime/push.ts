/**
 * How main pushes events to the renderer, whatever the transport: Electron sends on the
 * window's webContents, the web host writes Server-Sent Events. Payloads are typed by
 * `ipcEvents` in shared/ipc/contract.ts.
 */
import type { IpcEventName, IpcEventPayload } from '../../../shared/ipc/contract'

export type PushSink = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void
