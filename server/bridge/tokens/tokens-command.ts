/**
 * `npm run bridge -- tokens issue --name <device> | list | revoke <name>`: the operator's
 * commands for device tokens, run against the bridge's database while it serves (or not).
 * A token is printed once, at issue; only its hash is stored.
 */
import { parseArgs } from 'node:util'
import { DeviceTokenError, issueDeviceToken, type DeviceTokenStore } from './device-token-store'

export const TOKENS_HELP = `Device tokens for the feed

Usage: npm run bridge -- tokens <command> [--data <dir> | --db <file> | --store postgres://...]

  issue --name <device>   make a token for a device and print it (once: it is stored hashed)
  list                    name, created, last seen
  revoke <name>           refuse that device's token from now on, on every instance
`

const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString())

export interface TokensCommandIo {
  readonly out: (text: string) => void
  readonly openStore: (values: { data?: string; db?: string; store?: string }) => DeviceTokenStore | Promise<DeviceTokenStore>
}

/** Runs one tokens command; resolves with the process exit code. */
export async function runTokensCommand(args: readonly string[], io: TokensCommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      name: { type: 'string' },
      data: { type: 'string' },
      db: { type: 'string' },
      store: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  })
  const [command, ...rest] = positionals
  if (values.help === true || command === undefined) {
    io.out(TOKENS_HELP)
    return command === undefined && values.help !== true ? 2 : 0
  }
  const store = await io.openStore(values)
  try {
    switch (command) {
      case 'issue': {
        if (values.name === undefined) throw new DeviceTokenError('tokens issue needs --name <device>')
        const token = await issueDeviceToken(store, values.name)
        io.out(`device: ${values.name}\ntoken: ${token}\nThis token is shown only now; put it in the device's bridge settings.\n`)
        return 0
      }
      case 'list': {
        const devices = await store.list()
        if (devices.length === 0) io.out('no device tokens\n')
        for (const device of devices) io.out(`${device.name}\tcreated ${iso(device.createdAt)}\tlast seen ${iso(device.lastSeenAt)}\n`)
        return 0
      }
      case 'revoke': {
        const name = rest[0] ?? values.name
        if (name === undefined) throw new DeviceTokenError('tokens revoke needs a device name')
        if (!(await store.revoke(name))) throw new DeviceTokenError(`no device named ${name}`)
        io.out(`revoked: ${name}\n`)
        return 0
      }
      default:
        throw new DeviceTokenError(`unknown tokens command ${command} (issue, list, revoke)`)
    }
  } finally {
    await store.close()
  }
}
