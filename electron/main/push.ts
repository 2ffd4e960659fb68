/**
 * Main's PushSink for the Electron window: sends each event on its own channel to our
 * window only (never broadcast), and drops it while the window is gone.
 */
import type { BrowserWindow } from 'electron'
import { eventChannel } from '../../shared/ipc/contract'
import type { PushSink } from '../services/runtime/push'

export function createWindowPush(getWindow: () => BrowserWindow | null): PushSink {
  return (event, payload) => {
    const window = getWindow()
    if (window && !window.isDestroyed()) window.webContents.send(eventChannel(event), payload)
  }
}
