// `npm start` after the build: starts the local API simulator and the webhook bridge with
// demo data, then the desktop app — or, where no Electron binary is installed, says so and
// serves the same renderer in the browser through the web host. Ctrl-C stops everything.
// A part that stops on its own leaves the others running; typed commands restart it or take
// the API down and bring it back (to work offline in development), see `help`.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const require = createRequire(import.meta.url)
const env = process.env
const ports = { api: env.OUTPOST_API_PORT ?? '4010', bridge: env.OUTPOST_BRIDGE_PORT ?? '4020', web: env.OUTPOST_WEB_PORT ?? '4030' }
const dataDir = join(root, '.data')
mkdirSync(dataDir, { recursive: true })

const children = []
/** Parts that stopped on their own, by name, with how to start them again. */
const stopped = new Map()
let stopping = false

function stopAll(code = 0) {
  if (stopping) return
  stopping = true
  for (const child of children) child.kill('SIGTERM')
  setTimeout(() => process.exit(code), 1500).unref()
}
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))

/**
 * Starts a child and resolves with its output once `ready` matches a line of it. Before it is
 * ready, its exit stops everything (the stack cannot come up); afterwards the rest keeps
 * running and the person is told how to restart it.
 */
function startChild(name, command, args, ready, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let output = ''
    let isReady = false
    const onData = (chunk) => {
      const text = chunk.toString()
      for (const line of text.split('\n')) if (line.trim()) console.log(`[${name}] ${line}`)
      output += text
      if (!isReady && ready.test(output)) {
        isReady = true
        resolve(output)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code, signal) => {
      children.splice(children.indexOf(child), 1)
      if (stopping) return
      if (!isReady) {
        console.error(`[${name}] exited with code ${code} before it was ready`)
        reject(new Error(`${name} exited`))
        stopAll(1)
        return
      }
      stopped.set(name, () => startChild(name, command, args, ready, extraEnv))
      console.error(`[${name}] stopped (${signal ?? `exit code ${code}`}); everything else keeps running. Type "r" and Enter to restart it.`)
    })
  })
}

async function restartStopped() {
  if (stopped.size === 0) return console.log('outpost: nothing has stopped; everything is running.')
  for (const [name, start] of [...stopped]) {
    stopped.delete(name)
    console.log(`outpost: restarting ${name} ...`)
    await start().then(
      () => console.log(`outpost: ${name} is running again.`),
      (error) => console.error(`outpost: ${name} did not start again: ${error.message}`),
    )
  }
}

/** The simulator's fault switch: every API call answers 503 (the app sees the server as unreachable), or all switches off. */
async function setApiDown(down) {
  const url = `${apiUrl}/__sandbox/faults`
  const init = down
    ? { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 1, errorStatus: 503 }) }
    : { method: 'DELETE', headers: { 'content-type': 'application/json' } }
  try {
    const response = await fetch(url, init)
    if (!response.ok) throw new Error(`the simulator answered ${response.status}`)
    console.log(down ? 'outpost: the API is down (every call answers 503); type "api up" to bring it back.' : 'outpost: the API is back.')
  } catch (error) {
    console.error(`outpost: could not switch the API: ${error.message}`)
  }
}

const HELP = [
  'outpost: commands (type and press Enter):',
  '  r         restart a part that stopped',
  '  api down  the simulated API answers every call with 503 (work offline)',
  '  api up    the API answers again',
  '  q         stop everything (or Ctrl-C)',
].join('\n')

function listenForCommands() {
  const input = createInterface({ input: process.stdin })
  input.on('line', (line) => {
    const command = line.trim().toLowerCase()
    if (command === 'r') void restartStopped()
    else if (command === 'api down') void setApiDown(true)
    else if (command === 'api up') void setApiDown(false)
    else if (command === 'q') stopAll(0)
    else if (command !== '') console.log(HELP)
  })
}

function electronBinary() {
  try {
    const path = require('electron')
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

const tsx = [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')]
const apiUrl = `http://127.0.0.1:${ports.api}`
const bridgeUrl = `http://127.0.0.1:${ports.bridge}`

await startChild('sandbox', process.execPath, [...tsx, 'server/sandbox/cli.ts', '--port', ports.api, '--seed', '200', '--state-file', join(dataDir, 'sandbox-state.json')], /Signature checking/)
const bridgeOut = await startChild(
  'bridge',
  process.execPath,
  [...tsx, 'server/bridge/cli.ts', '--port', ports.bridge, '--api', apiUrl, '--public-url', `${bridgeUrl}/webhooks/upvest`, '--data', join(dataDir, 'bridge'), '--log-level', 'warn'],
  /client token: \S+/,
)
const bridgeToken = /client token: (\S+)/.exec(bridgeOut)?.[1]

// The app's built-in local default: the simulator's demo client plus this bridge.
const devClient = JSON.parse(readFileSync(join(root, 'server', 'sandbox', 'dev-client.json'), 'utf8'))
const devConfigFile = join(dataDir, 'dev-config.json')
const devConfig = {
  settings: { apiBaseUrl: apiUrl, clientId: devClient.client_id, keyId: devClient.key_id, scopes: ['users:read', 'users:admin'], bridgeUrl },
  secrets: { clientSecret: devClient.client_secret, ...(bridgeToken ? { bridgeToken } : {}) },
  privateKeyPath: join(root, 'server', 'sandbox', devClient.private_key_path),
}
writeFileSync(devConfigFile, `${JSON.stringify(devConfig, null, 2)}\n`, { mode: 0o600 })

const electron = electronBinary()
if (electron) {
  const app = spawn(electron, [root], { cwd: root, env: { ...env, OUTPOST_DEV_CONFIG: devConfigFile }, stdio: 'inherit' })
  children.push(app)
  app.on('exit', (code) => stopAll(code ?? 0))
} else {
  console.log('outpost: no Electron binary is installed (see README, Troubleshooting), so the desktop window cannot start; serving the same app in your browser instead.')
  await startChild('webhost', process.execPath, [...tsx, 'electron/webhost/cli.ts', '--port', ports.web, '--dev-config', devConfigFile], /web host ready/)
}
console.log(HELP)
listenForCommands()
