/**
 * Keeps the window on our renderer: blocks navigation elsewhere (a link or script taking the
 * privileged window to a hostile page that could then call the preload) and every new
 * window (`window.open`, target=_blank), so no second, unconfigured window can appear.
 */
import type { WebContents } from 'electron'
import { isRendererUrl } from '../ipc/trusted-sender'

export function denyNavigation(contents: WebContents, rendererUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isRendererUrl(url, rendererUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isRendererUrl(url, rendererUrl)) event.preventDefault()
  })
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  // No <webview>: it would be a second, differently configured renderer.
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
