// Electronegativity (static Electron security checks) over the main/preload source and the
// built app in out/. Every finding must be listed in electronegativity.json with why it is
// acceptable; a new finding, or a listed one that no longer occurs, fails the run.
// Part of `npm test` after the build (`npm run test:security`).
import run from '@doyensec/electronegativity'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const config = JSON.parse(readFileSync(join(root, 'electronegativity.json'), 'utf8'))
const INPUTS = ['electron', 'out']
// Checks are judged against the Electron the app ships, not the tool's guess.
const electronVersion = createRequire(import.meta.url)('electron/package.json').version

if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
  console.error('electronegativity: out/ is missing; run `npm run build` first')
  process.exit(1)
}

const keyOf = (finding) => `${finding.check} ${finding.file}${finding.sample ? ` ${finding.sample}` : ''}`
const accepted = new Map(config.accepted.map((entry) => [keyOf(entry), entry]))
const found = []
for (const input of INPUTS) {
  const result = await run({
    input: join(root, input),
    isRelative: true,
    excludeFromScan: Object.keys(config.excludedChecks),
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  })
  for (const error of result.errors) console.error(`electronegativity: could not scan ${error.file}: ${error.message ?? error.error ?? ''}`)
  if (result.errors.length > 0) process.exit(1)
  for (const issue of result.issues) {
    const file = relative(root, join(root, input, issue.file)).split('\\').join('/')
    const sample = typeof issue.sample === 'string' ? issue.sample.trim() : undefined
    found.push({ check: issue.id, file, sample, line: issue.location.line, description: issue.description })
  }
}

const fresh = found.filter((finding) => !accepted.has(keyOf(finding)))
const seen = new Set(found.map(keyOf))
const stale = config.accepted.filter((entry) => !seen.has(keyOf(entry)))
for (const f of fresh) console.error(`NEW ${f.check} ${f.file}:${f.line} ${f.description}${f.sample ? `\n    ${f.sample}` : ''}`)
for (const e of stale) console.error(`GONE ${e.check} ${e.file}: no longer reported; remove it from electronegativity.json`)
if (fresh.length > 0 || stale.length > 0) {
  console.error(`electronegativity: ${fresh.length} new, ${stale.length} stale (fix the code, or justify the finding in electronegativity.json)`)
  process.exit(1)
}
console.log(`electronegativity: ${found.length} finding(s), each justified in electronegativity.json; ${Object.keys(config.excludedChecks).length} check(s) excluded`)
