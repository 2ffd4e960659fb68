/**
 * `npm run webhost -- [--port N] [--renderer-dir DIR] [--data-dir DIR] [--dev-config FILE] [--help]`:
 * starts the web host and prints the URL to open (it carries the run token). Stops cleanly
 * on Ctrl+C / SIGTERM. Options and the dev config format: README.md beside this file.
 */
import { DEV_CONFIG_ENV } from '../services/settings/dev-config'
import { parseWebHostArgs, WEBHOST_HELP } from './cli-args'
import { startWebHost } from './index'

const cli = parseWebHostArgs(process.argv.slice(2))
if (cli.kind === 'help') {
  console.log(WEBHOST_HELP)
  process.exit(0)
}
if (cli.kind === 'error') {
  console.error(`${cli.message}\n\n${WEBHOST_HELP}`)
  process.exit(2)
}
const { options } = cli

const host = await startWebHost({ ...options, log: (message) => console.log(message) })
console.log(`Outpost web host ready: open ${host.url}`)
if (options.devConfigPath === undefined && !process.env[DEV_CONFIG_ENV])
  console.log('(no dev config given: using settings in the data dir, else the local simulator and bridge)')

let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return
    closing = true
    void host.close().then(() => process.exit(0))
  })
}
