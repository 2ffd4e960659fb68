// Runs every benchmark under bench/ (one tsx process each, so they do not disturb each
// other), then merges their figures into bench/results.json and prints one table.
// Pass names to run a subset: `npm run bench -- sandbox bridge`.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const benchDir = join(root, 'bench')
const resultsDir = join(benchDir, 'results')
const wanted = process.argv.slice(2)

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')))
  .sort()

if (files.length === 0) {
  console.error(`no benchmarks matched ${wanted.join(', ') || '(any)'} in bench/`)
  process.exit(1)
}

rmSync(resultsDir, { recursive: true, force: true })
mkdirSync(resultsDir, { recursive: true })

const failed = []
for (const file of files) {
  console.log(`\n== bench/${file}`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, file)], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (run.status !== 0) failed.push(file)
}

const merged = {}
for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort()) {
  Object.assign(merged, JSON.parse(readFileSync(join(resultsDir, file), 'utf8')))
}
merged.measured_at = new Date().toISOString()
writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(merged, null, 2)}\n`)

console.log('\n== all figures (bench/results.json)')
const width = Math.max(...Object.keys(merged).map((k) => k.length))
for (const [key, value] of Object.entries(merged)) console.log(`${key.padEnd(width)}  ${typeof value === 'number' ? Number(value.toFixed(3)) : value}`)
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`)
  process.exit(1)
}
if (!existsSync(join(benchDir, 'results.json'))) process.exit(1)
