/**
 * The web host's command line: `--help`, or the options to start it with. Never throws:
 * an unknown option or a bad port comes back as a message for the person at the terminal.
 */
import { parseArgs } from 'node:util'

export const WEBHOST_HELP = `Outpost web host: the renderer in a browser, backed by the same handlers as Electron's main

Usage: npm run webhost -- [options]

  --port <n>             port to listen on (default 0 = any free port)
  --renderer-dir <dir>   the built renderer (default out/renderer; run \`npm run build\` first)
  --data-dir <dir>       settings, secrets and feed cursor (default a fresh temp dir)
  --dev-config <file>    settings + secrets to use while the data dir has none (format: electron/webhost/README.md)
  -h, --help             show this help

It prints the URL to open; it carries the run token.`

export interface WebHostCliOptions {
  readonly port: number
  readonly rendererDir?: string
  readonly dataDir?: string
  readonly devConfigPath?: string
}

export type WebHostCli =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly options: WebHostCliOptions }
  | { readonly kind: 'error'; readonly message: string }

export function parseWebHostArgs(args: readonly string[]): WebHostCli {
  let values
  try {
    values = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string', default: '0' },
        'renderer-dir': { type: 'string' },
        'data-dir': { type: 'string' },
        'dev-config': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) }
  }
  if (values.help) return { kind: 'help' }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { kind: 'error', message: `--port: must be a port number, got ${values.port}` }
  return {
    kind: 'run',
    options: {
      port,
      ...(values['renderer-dir'] ? { rendererDir: values['renderer-dir'] } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      ...(values['dev-config'] ? { devConfigPath: values['dev-config'] } : {}),
    },
  }
}
