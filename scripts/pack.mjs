// `npm run pack`: builds the app and packs it unpacked (electron-builder --dir) for this
// platform, into release/<version>/. It packs with the Electron binary npm installed, so it
// works offline; where that binary is missing it says so in one line and exits non-zero,
// instead of electron-builder failing later on a download with a stack trace.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

function fail(message) {
  console.error(`pack: ${message}`)
  process.exit(1)
}

/** The installed Electron distribution directory, or the reason there is none. */
function electronDist() {
  let dir
  try {
    dir = dirname(require.resolve('electron/package.json', { paths: [root] }))
  } catch {
    return { ok: false, reason: 'the electron package is not installed (run `npm ci`)' }
  }
  const pathFile = join(dir, 'path.txt')
  const dist = join(dir, 'dist')
  // path.txt names the executable inside dist/; electron's install script writes both.
  if (!existsSync(pathFile))
    return { ok: false, reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' }
  const executable = join(dist, readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(executable)) return { ok: false, reason: `the Electron binary is missing (${executable})` }
  return { ok: true, dist }
}

// electron-builder 26 rebuilds with @electron/rebuild 4, which needs Node 22.12+ (README, Node versions).
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) fail(`cannot pack on Node ${process.versions.node}: electron-builder needs Node 22.12 or later`)

const electron = electronDist()
if (!electron.ok) {
  fail(
    `cannot pack: ${electron.reason}. Install it with \`node node_modules/electron/install.js\` on a machine with internet access ` +
      '(or unset ELECTRON_SKIP_BINARY_DOWNLOAD and run `npm ci`), then run `npm run pack` again.',
  )
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm' })
  if (result.error) fail(`could not start ${command}: ${result.error.message}`)
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed (exit ${result.status})`)
}

run('npm', ['run', 'build'])
const cli = require.resolve('electron-builder/cli.js', { paths: [root] })
run(process.execPath, [cli, '--dir', '--publish', 'never', `-c.electronDist=${electron.dist}`])
console.log('pack: done — the unpacked app is under release/')
