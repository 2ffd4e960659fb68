/**
 * `npm run webhost -- [--port N] [--renderer-dir DIR] [--data-dir DIR] [--dev-config FILE]`:
 * starts the web host and prints the URL to open (it carries the run token). Stops cleanly
 * on Ctrl+C / SIGTERM. Options and the dev config format: README.md beside this file.
 */
import { parseArgs } from 'node:util'
import { DEV_CONFIG_ENV } from '../services/settings/dev-config'
import { startWebHost } from './index'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'renderer-dir': { type: 'string' },
    'data-dir': { type: 'string' },
    'dev-config': { type: 'string' },
  },
})

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: must be a port number, got ${values.port}`)
  process.exit(2)
}

const host = await startWebHost({
  port,
  ...(values['renderer-dir'] ? { rendererDir: values['renderer-dir'] } : {}),
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  ...(values['dev-config'] ? { devConfigPath: values['dev-config'] } : {}),
  log: (message) => console.log(message),
})
console.log(`Outpost web host ready: open ${host.url}`)
if (!values['dev-config'] && !process.env[DEV_CONFIG_ENV])
  console.log('(no dev config given: using settings in the data dir, else the local simulator and bridge)')

let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return
    closing = true
    void host.close().then(() => process.exit(0))
  })
}
