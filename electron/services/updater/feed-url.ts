/**
 * The electron-updater feed options for the generic provider URL in settings. A feed that
 * is not http(s) is refused, and plain http only for loopback: an update is code, and a
 * man in the middle must not be able to serve one.
 */

export interface GenericFeed {
  readonly provider: 'generic'
  readonly url: string
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function genericFeed(updateFeedUrl: string | null | undefined): GenericFeed | null {
  if (updateFeedUrl === null || updateFeedUrl === undefined || updateFeedUrl.trim() === '') return null
  let url: URL
  try {
    url = new URL(updateFeedUrl)
  } catch {
    return null
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  if (!secure) return null
  // electron-updater joins file names onto the URL: keep exactly one trailing slash.
  return { provider: 'generic', url: url.href.endsWith('/') ? url.href : `${url.href}/` }
}
