import { describe, expect, it } from 'vitest'
import type { Session, WebContents } from 'electron'
import { applyContentSecurityPolicy } from '../../../electron/main/security/content-security-policy'
import { denyNavigation } from '../../../electron/main/security/deny-navigation'
import { denyPermissions } from '../../../electron/main/security/deny-permissions'

const RENDERER_URL = 'file:///app/out/renderer/index.html'

/** Records what a security rule registers, so each rule can be exercised like Electron would. */
function fakeContents() {
  const handlers = new Map<string, (event: { preventDefault: () => void }, url?: string) => void>()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = {
    on: (name: string, handler: (event: { preventDefault: () => void }, url?: string) => void) => handlers.set(name, handler),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => (openHandler = handler),
  }
  const fire = (name: string, url?: string) => {
    let prevented = false
    handlers.get(name)?.({ preventDefault: () => (prevented = true) }, url)
    return prevented
  }
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler?.({ url }) }
}

describe('security rules', () => {
  it('keeps the window on our renderer and denies new windows and webviews', () => {
    const fake = fakeContents()
    denyNavigation(fake.contents, RENDERER_URL)
    expect(fake.fire('will-navigate', 'https://evil.example/')).toBe(true)
    expect(fake.fire('will-redirect', 'file:///etc/passwd')).toBe(true)
    expect(fake.fire('will-navigate', 'file:///app/out/renderer/index.html#/settings')).toBe(false)
    expect(fake.open('https://example.com/')).toEqual({ action: 'deny' })
    expect(fake.fire('will-attach-webview')).toBe(true)
  })

  it('denies every permission request and check', () => {
    let requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined
    let checkHandler: (() => boolean) | undefined
    const session = {
      setPermissionRequestHandler: (h: typeof requestHandler) => (requestHandler = h),
      setPermissionCheckHandler: (h: typeof checkHandler) => (checkHandler = h),
    } as unknown as Session
    denyPermissions(session)
    const answers: boolean[] = []
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      requestHandler?.({}, permission, (granted) => answers.push(granted))
    expect(answers).toEqual([false, false, false, false])
    expect(checkHandler?.()).toBe(false)
  })

  it('adds the strict CSP to every response', () => {
    let listener:
      | ((
          details: { responseHeaders?: Record<string, string[]> },
          callback: (response: { responseHeaders: Record<string, string[]> }) => void,
        ) => void)
      | undefined
    const session = { webRequest: { onHeadersReceived: (l: typeof listener) => (listener = l) } } as unknown as Session
    applyContentSecurityPolicy(session)
    let headers: Record<string, string[]> | undefined
    listener?.({ responseHeaders: { 'content-type': ['text/html'] } }, (response) => (headers = response.responseHeaders))
    expect(headers?.['content-type']).toEqual(['text/html'])
    expect(headers?.['Content-Security-Policy']?.[0]).toMatch(/script-src 'self'.*object-src 'none'/)
  })
})
