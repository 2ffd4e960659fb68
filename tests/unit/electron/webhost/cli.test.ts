// `npm run webhost -- --help` prints the options and exits 0 (it used to crash with
// ERR_PARSE_ARGS_UNKNOWN_OPTION); an unknown option or bad port says so, with the help, exit 2.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseWebHostArgs } from '../../../../electron/webhost/cli-args'

const ROOT = resolve(__dirname, '../../../..')

function webhost(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'electron/webhost/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
}

describe('webhost command line', () => {
  it('--help prints the options and exits 0 without starting anything', () => {
    const run = webhost('--help')
    expect(run.stderr).not.toContain('ERR_PARSE_ARGS')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Usage: npm run webhost -- [options]')
    expect(run.stdout).toContain('--renderer-dir <dir>')
    expect(run.stdout).not.toContain('web host ready')
  })

  it('an unknown option is named, with the help, and exits 2', () => {
    const run = webhost('--nope')
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("Unknown option '--nope'")
    expect(run.stderr).toContain('Usage: npm run webhost -- [options]')
  })

  it('parses the options it starts with, and refuses a bad port', () => {
    expect(parseWebHostArgs(['-h'])).toEqual({ kind: 'help' })
    expect(parseWebHostArgs(['--port', '4030', '--data-dir', 'd'])).toEqual({ kind: 'run', options: { port: 4030, dataDir: 'd' } })
    expect(parseWebHostArgs([])).toEqual({ kind: 'run', options: { port: 0 } })
    expect(parseWebHostArgs(['--port', '70000'])).toEqual({ kind: 'error', message: '--port: must be a port number, got 70000' })
  })
})
