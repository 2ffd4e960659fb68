/**
 * Serves the built renderer (out/renderer) with the same strict CSP the Electron window
 * gets, and nothing outside that directory: paths are resolved and checked against the root
 * so `..` or encoded tricks cannot read other files. Unknown routes get index.html.
 */
import { readFile, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { CONTENT_SECURITY_POLICY } from '../services/security/content-security-policy'

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // The page URL carries the run token in its fragment; never leak the URL onwards.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
} as const

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
}

/**
 * The build's hashed files (`assets/<name>-<hash>.<ext>`): a new build gives new names, so the
 * browser may keep them for good. A reload then reads its scripts from the cache and runs them
 * from V8's code cache instead of fetching and compiling them again, as the desktop app reads
 * them from disk. Everything else (index.html first) is asked for again every time.
 */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/

function cacheControl(root: string, file: string, type: string): string {
  if (type.startsWith('text/html')) return 'no-store'
  const relative = file.slice(root.length + 1).split(sep).join('/')
  return HASHED_ASSET.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache'
}

export async function serveStatic(rootDir: string, urlPath: string, response: ServerResponse): Promise<void> {
  const root = resolve(rootDir)
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return send(response, 400, 'text/plain; charset=utf-8', 'bad path')
  }
  const candidate = resolve(root, `.${normalize(`/${decoded}`)}`)
  if (candidate !== root && !candidate.startsWith(root + sep)) return send(response, 404, 'text/plain; charset=utf-8', 'not found')
  const file = (await isFile(candidate)) ? candidate : extname(candidate) === '' ? join(root, 'index.html') : undefined
  if (!file || !(await isFile(file))) {
    const missingBuild = !(await isFile(join(root, 'index.html')))
    return send(
      response,
      missingBuild ? 503 : 404,
      'text/plain; charset=utf-8',
      missingBuild ? 'renderer not built: run `npm run build` first' : 'not found',
    )
  }
  const body = await readFile(file)
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'cache-control': cacheControl(root, file, type),
  })
  response.end(body)
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type })
  response.end(body)
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
