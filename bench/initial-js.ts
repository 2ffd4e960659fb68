/**
 * The JavaScript a first start downloads and parses before anything shows: the entry
 * script of the built index.html plus the chunks it preloads (`modulepreload`). Screens and
 * languages loaded later by dynamic import are not counted. Sizes as built (minified), kB = 1000 bytes as Vite prints them.
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The entry and preloaded script paths, relative to the renderer folder. */
export function initialScripts(indexHtml: string): string[] {
  const entry = [...indexHtml.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? '')
  const preloads = [...indexHtml.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1] ?? '')
  return [...entry, ...preloads].filter((path) => path !== '')
}

export function initialJsKb(rendererDir: string): number {
  const scripts = initialScripts(readFileSync(join(rendererDir, 'index.html'), 'utf8'))
  if (scripts.length === 0) throw new Error(`no module script in ${join(rendererDir, 'index.html')}`)
  const bytes = scripts.reduce((sum, path) => sum + statSync(join(rendererDir, path)).size, 0)
  return Math.round(bytes / 100) / 10
}
