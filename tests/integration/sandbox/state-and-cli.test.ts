import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { UserSchema, WebhookSubscriptionSchema } from '../../../shared/schemas'
import { newIdempotencyKey } from '../../support/sandbox-client'
import { createBody, startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'

// Absolute, so the test does not depend on the directory vitest runs from.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CLI_PATH = join(ROOT, 'server', 'sandbox', 'cli.ts')
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-sandbox-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function started(options: Parameters<typeof startTestSandbox>[0]): Promise<TestSandbox> {
  const t = await startTestSandbox(options)
  cleanups.push(() => t.close())
  return t
}

describe('state file', () => {
  it('keeps users, subscriptions and the webhook key across a restart', async () => {
    const stateFile = join(await tempDir(), 'state.json')
    const first = await started({ seed: 3, stateFile })
    const user = UserSchema.parse(
      (await first.client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })).json,
    )
    const hook = WebhookSubscriptionSchema.parse(
      (
        await first.client.call('POST', '/webhooks', {
          body: { title: 'A', url: 'https://x.example/h', type: ['USER'], config: { delay: '5s', max_package_size: 1024 } },
        })
      ).json,
    )
    const keyId = first.sandbox.webhookKeyId
    await first.close()

    const second = await started({ seed: 50, stateFile })
    expect(second.sandbox.webhookKeyId).toBe(keyId)
    expect(UserSchema.parse((await second.client.call('GET', `/users/${user.id}`)).json)).toEqual(user)
    expect(((await second.admin('GET', '/state')).json as { users: number }).users).toBe(4)
    expect((await second.client.call('GET', `/webhooks/${hook.id}`)).status).toBe(200)
  })
})

describe('CLI', () => {
  // Starting tsx in a child process is slow on a busy machine: a generous budget.
  it('prints its URL and the demo credentials file, serves, and stops on SIGTERM', { timeout: 90_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_PATH, '--port', '0', '--seed', '7'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    cleanups.push(async () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL')
        await once(child, 'exit')
      }
    })
    let output = ''
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`CLI did not start: ${output}`)), 80_000)
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (match?.[1] !== undefined && /Admin token: \S+/.test(output)) {
          clearTimeout(timer)
          resolve(match[1])
        }
      })
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    })
    expect(output).toMatch(/Demo credentials: .*dev-client\.json/)
    const adminToken = /Admin token: (\S+)/.exec(output)?.[1] ?? ''
    const state = (await (await fetch(`${url}/__sandbox/state`, { headers: { 'x-sandbox-admin-token': adminToken } })).json()) as {
      users: number
      verify_signatures: boolean
    }
    expect(state).toMatchObject({ users: 7, verify_signatures: true })
    child.kill('SIGTERM')
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(0)
  })

  it('lists every option in --help', { timeout: 90_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_PATH, '--help'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(0)
    for (const option of [
      '--port',
      '--host',
      '--seed',
      '--state-file',
      '--dev-client',
      '--no-verify-signatures',
      '--token-ttl',
      '--offboard-delay',
      '--data-change-delay',
      '--webhook-delay',
      '--webhook-signature',
      '--rate-limit',
    ]) {
      expect(output).toContain(option)
    }
  })
})
