// The release workflow as written: every command it runs exists here (npm scripts,
// binaries of declared dependencies, known shell commands), it runs on Windows and macOS,
// gives the web specs a browser before `npm test`, and smoke-tests the app it packaged.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  checkCommand,
  checkWorkflow,
  commandsOf,
  declaredBinaries,
  parseWorkflow,
  readPackageJson,
} from '../../support/workflow-commands'

const ROOT = resolve(__dirname, '../../..')
const workflow = parseWorkflow(parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')), 'release.yml')
const pkg = readPackageJson(ROOT)
const binaries = declaredBinaries(ROOT, pkg)
const job = workflow.jobs.installers
if (job === undefined) throw new Error('release.yml has no installers job')
const runs = job.steps.map((step) => step.run ?? '')
const indexOf = (pattern: RegExp) => runs.findIndex((run) => pattern.test(run))

describe('release workflow', () => {
  it('runs only commands that exist in package.json or the toolchain', () => {
    expect(checkWorkflow(workflow, pkg, binaries)).toEqual([])
    // The walk really covers the steps: it sees the test and the build commands.
    expect(job.steps.flatMap((step) => commandsOf(step.run ?? ''))).toEqual(
      expect.arrayContaining(['npm ci', 'npm test', 'npx playwright install chromium', 'npm run test:packaged']),
    )
  })

  it('builds on Windows and macOS runners', () => {
    expect(job['runs-on']).toBe('${{ matrix.os }}')
    expect(JSON.stringify(job)).toContain('windows-latest')
    expect(JSON.stringify(job)).toContain('macos-latest')
  })

  it("installs Playwright's Chromium before the tests and smoke-tests the packaged app after electron-builder", () => {
    const install = indexOf(/^npx playwright install chromium$/)
    const test = indexOf(/^npm test$/)
    const build = indexOf(/^npx electron-builder /)
    const smoke = indexOf(/^npm run test:packaged$/)
    expect([install, test, build, smoke].every((i) => i >= 0)).toBe(true)
    expect(install).toBeLessThan(test)
    expect(test).toBeLessThan(build)
    expect(build).toBeLessThan(smoke)
    // There, a missing packaged app is a failure, not a skip.
    expect(job.steps[smoke]).toMatchObject({ env: { OUTPOST_PACKAGED_APP_REQUIRED: '1' } })
  })
})

describe('workflow command check', () => {
  it('reports a missing npm script, an unknown npx binary and an unknown tool', () => {
    expect(checkCommand('npm run test:nothing', pkg, binaries)).toBe('`npm run test:nothing`: package.json has no script "test:nothing"')
    expect(checkCommand('npx not-a-dependency --flag', pkg, binaries)).toContain('no declared dependency ships a "not-a-dependency" binary')
    expect(checkCommand('make release', pkg, binaries)).toContain('"make" is neither an npm script nor a known toolchain command')
  })

  it('splits multi-line and chained run blocks and ignores expressions and assignments', () => {
    expect(commandsOf('key="$RUNNER_TEMP/k"\nnpm run build && npx electron-builder ${{ matrix.platform }}\n# note')).toEqual([
      'key="$RUNNER_TEMP/k"',
      'npm run build',
      'npx electron-builder EXPR',
    ])
    const broken = parseWorkflow({ jobs: { a: { 'runs-on': 'x', steps: [{ name: 'Bench', run: 'npm run benchmark' }] } } }, 'broken')
    expect(checkWorkflow(broken, pkg, binaries)).toEqual(['a › Bench: `npm run benchmark`: package.json has no script "benchmark"'])
  })
})
