/**
 * The preload: exposes exactly one frozen object, `window.outpost`, with one method per
 * IPC contract method (each invokes its own channel) and `on(event, handler)` returning an
 * unsubscribe function. No `ipcRenderer`, no generic invoke, no logic: answers go back
 * unparsed and renderer/src/transport parses them with the contract.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { OutpostBridge } from '../../shared/ipc/bridge'
import { EVENT_NAMES, METHOD_NAMES, eventChannelName, methodChannelName } from '../../shared/ipc/channels'
import type { IpcEventName } from '../../shared/ipc/contract'

const methods = Object.fromEntries(
  METHOD_NAMES.map((method) => [method, (input?: unknown) => ipcRenderer.invoke(methodChannelName(method), input)]),
)

function on(event: IpcEventName, handler: (payload: unknown) => void): () => void {
  // Only contract events: the page cannot use `on` to listen to arbitrary channels.
  if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`unknown event: ${String(event)}`)
  const channel = eventChannelName(event)
  const listener = (_event: IpcRendererEvent, payload: unknown) => handler(payload)
  ipcRenderer.on(channel, listener)
  return () => {
    ipcRenderer.removeListener(channel, listener)
  }
}

const outpost: OutpostBridge = Object.freeze({ ...methods, on }) as OutpostBridge
contextBridge.exposeInMainWorld('outpost', outpost)
