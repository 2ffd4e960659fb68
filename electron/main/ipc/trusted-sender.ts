/**
 * Which IPC senders main answers: only our window's main frame, showing our renderer
 * (the built files, or the dev server in development). Blocks a navigated-away page, an
 * injected iframe, or another webContents from calling handlers that hold credentials.
 */
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/** True when `url` is the renderer: same origin for http(s), inside the renderer folder for file:. */
export function isRendererUrl(url: string, rendererUrl: string): boolean {
  let actual: URL
  let expected: URL
  try {
    actual = new URL(url)
    expected = new URL(rendererUrl)
  } catch {
    return false
  }
  if (expected.protocol === 'file:') {
    const folder = expected.pathname.slice(0, expected.pathname.lastIndexOf('/') + 1)
    return actual.protocol === 'file:' && actual.host === '' && actual.pathname.startsWith(folder) && !actual.pathname.includes('/../')
  }
  return actual.origin === expected.origin
}

export function createSenderCheck(getWindow: () => BrowserWindow | null, rendererUrl: string): SenderCheck {
  return (event) => {
    const window = getWindow()
    const frame = event.senderFrame
    if (!window || window.isDestroyed() || !frame) return false
    // Our window's top frame only: iframes (even same-origin ones) get nothing.
    if (event.sender !== window.webContents || frame !== window.webContents.mainFrame) return false
    return isRendererUrl(frame.url, rendererUrl)
  }
}
