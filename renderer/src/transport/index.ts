/**
 * The renderer's one way to reach main. `getTransport()` picks once, at start: the
 * preload's `window.outpost` inside Electron, otherwise the web host client (token from the
 * URL fragment `#token=`, kept in sessionStorage so a reload still works). Only this module
 * touches `window.outpost` (lint enforces it); everything else imports from here.
 */
import type { OutpostBridge } from '../../../shared/ipc/bridge'
import { createPreloadTransport } from './preload-transport'
import type { OutpostTransport } from './types'
import { createWebTransport } from './web-transport'

export type { OutpostTransport } from './types'
export { IpcCallError } from './envelope'
export { createWebTransport, type WebTransportOptions, type EventSourceLike } from './web-transport'
export { createPreloadTransport } from './preload-transport'

const TOKEN_KEY = 'outpost.webhost.token'

declare global {
  interface Window {
    readonly outpost?: OutpostBridge
  }
}

let chosen: OutpostTransport | undefined

export function getTransport(): OutpostTransport {
  chosen ??= window.outpost ? createPreloadTransport(window.outpost) : createWebTransport({ baseUrl: '', token: takeRunToken() })
  return chosen
}

/** Reads `#token=` once, keeps it for reloads, and removes it from the address bar and history. */
export function takeRunToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token')
  if (fromHash) {
    window.sessionStorage.setItem(TOKEN_KEY, fromHash)
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search)
    return fromHash
  }
  return window.sessionStorage.getItem(TOKEN_KEY) ?? ''
}
