// Fetches the Electron binary after install. Dependency install scripts are off
// (allowScripts), so this is the one place the download is tried; where it cannot
// succeed (no internet) the install still passes and says so in one line.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'))
  } catch {
    return null
  }
}

const dir = electronDir()
if (dir === null) process.exit(0) // production install without devDependencies
if (existsSync(join(dir, 'path.txt'))) process.exit(0) // binary already present
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('outpost: Electron binary download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD); the desktop window cannot start until it is installed — `npm start` serves the app in the browser instead.')
  process.exit(0)
}
const result = spawnSync(process.execPath, [join(dir, 'install.js')], {
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 120_000,
  encoding: 'utf8',
})
if (result.status !== 0 || !existsSync(join(dir, 'path.txt'))) {
  console.log('outpost: could not download the Electron binary; the desktop window cannot start until `node node_modules/electron/install.js` succeeds — `npm start` serves the app in the browser instead.')
}
