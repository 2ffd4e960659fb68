/**
 * The one Content Security Policy for the renderer, sent by the Electron window's session
 * and by the web host alike (and matching renderer/index.html's meta tag): only our own
 * scripts and styles, no inline script, no eval, connections only to our own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
