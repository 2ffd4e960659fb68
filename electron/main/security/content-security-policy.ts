/**
 * Sends the strict CSP as a response header for everything the window loads (the same
 * policy the web host sends): blocks injected inline script, eval, and requests to any
 * other origin, even if API data ever slipped unescaped into the DOM.
 */
import type { Session } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../services/security/content-security-policy'

export function applyContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
}
