import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type RunningBridge } from '../../../server/bridge/index'
import { openSqliteDeviceTokens } from '../../../server/bridge/tokens/sqlite-device-tokens'
import { runTokensCommand } from '../../../server/bridge/tokens/tokens-command'
import type { Sandbox } from '../../../server/sandbox/index'
import { readFeed, startSandboxWithKnownKey } from './support'

const run = promisify(execFile)
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CLI = join(REPO_ROOT, 'server', 'bridge', 'cli.ts')

/** `npm run bridge -- tokens ...` as the operator runs it (node + tsx, a process of its own). */
async function tokensCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, 'tokens', ...args], { cwd: REPO_ROOT })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }
  }
}

describe('per-device tokens (operator commands against a running bridge)', () => {
  let dir: string
  let dataDir: string
  let sandbox: Sandbox
  let bridge: RunningBridge

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-tokens-'))
    dataDir = join(dir, 'bridge')
    ;({ sandbox } = await startSandboxWithKnownKey(dir))
    bridge = await startBridge({ dataDir, apiUrl: sandbox.url, apiCredentials: sandbox.devClient, bootstrap: false, logLevel: 'silent' })
  })
  afterAll(async () => {
    await bridge?.close()
    await sandbox?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** The same command in this process (spawning costs seconds; the CLI wiring is covered by `issue`). */
  const command = async (args: readonly string[]): Promise<string> => {
    let text = ''
    const code = await runTokensCommand([...args, '--data', dataDir], {
      out: (chunk) => (text += chunk),
      openStore: () => openSqliteDeviceTokens(join(dataDir, 'bridge.sqlite')),
    })
    expect(code).toBe(0)
    return text
  }
  const list = () => command(['list'])

  it(
    'issues a token once, stores only its hash, lists and revokes it; a revoked token is refused at once',
    { timeout: 120_000 },
    async () => {
      const issued = await tokensCli(['issue', '--name', 'laptop-7', '--data', dataDir])
      expect(issued.code, issued.stderr).toBe(0)
      const token = /^token: (\S+)$/m.exec(issued.stdout)?.[1]
      expect(token).toMatch(/^opd_[A-Za-z0-9_-]{43}$/)

      // Only a hash is on disk (database and its WAL).
      for (const file of readdirSync(dataDir).filter((name) => name.startsWith('bridge.sqlite'))) {
        expect(readFileSync(join(dataDir, file)).includes(Buffer.from(token!))).toBe(false)
      }

      expect((await readFeed(bridge.url, token!)).status).toBe(200)
      const lowerCase = await fetch(`${bridge.url}/events`, { headers: { authorization: `bearer ${token}` } })
      expect(lowerCase.status).toBe(200)
      expect((await fetch(`${bridge.url}/events?token=${token}`)).status).toBe(401)
      expect((await fetch(`${bridge.url}/events?access_token=${token}`)).status).toBe(401)
      expect(await list()).toMatch(/^laptop-7\tcreated \d{4}-\d\d-\d\dT[^\t]+\tlast seen \d{4}-/m)

      await expect(command(['issue', '--name', 'laptop-7'])).rejects.toThrow('already has a token')

      expect(await command(['revoke', 'laptop-7'])).toBe('revoked: laptop-7\n')
      expect((await readFeed(bridge.url, token!)).status).toBe(401)
      expect(await list()).toBe('no device tokens\n')
      // This machine's own token (what `npm start` hands the app) still works.
      expect((await readFeed(bridge.url, bridge.clientToken)).status).toBe(200)
    },
  )

  it('refuses bad device names and unknown devices with a clear message', async () => {
    let text = ''
    const io = { out: (chunk: string) => (text += chunk), openStore: () => openSqliteDeviceTokens(join(dataDir, 'bridge.sqlite')) }
    await expect(runTokensCommand(['issue', '--name', '../etc'], io)).rejects.toThrow(/--name must be/)
    await expect(runTokensCommand(['revoke', 'nobody'], io)).rejects.toThrow('no device named nobody')
    await expect(runTokensCommand(['issue'], io)).rejects.toThrow('needs --name')
    expect(text).toBe('')
  })
})
