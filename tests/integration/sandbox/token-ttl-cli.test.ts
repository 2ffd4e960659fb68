import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { loadDevClient } from '../../../server/sandbox/dev-client'
import { ProblemSchema, TokenResponseSchema } from '../../../shared/schemas'
import { createSandboxClient } from '../../support/sandbox-client'

// Absolute, so the test does not depend on the directory vitest runs from.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CLI_PATH = join(ROOT, 'server', 'sandbox', 'cli.ts')
const TTL_SECONDS = 3
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startCli(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_PATH, '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(async () => {
    if (child.exitCode !== null) return
    child.kill('SIGTERM')
    await once(child, 'exit')
  })
  let output = ''
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${output}`)), 80_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1] === undefined) return
      clearTimeout(timer)
      resolve(match[1])
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  })
}

describe('--token-ttl', () => {
  // Starting tsx in a child process is slow on a busy machine: a generous budget.
  it('issues tokens with that lifetime; an expired token answers 401', { timeout: 120_000 }, async () => {
    const url = await startCli(['--seed', '1', '--token-ttl', String(TTL_SECONDS)])
    const devClient = loadDevClient()
    const client = createSandboxClient(url, devClient)
    const issued = await client.call('POST', '/auth/token', {
      token: false,
      body: { client_id: devClient.clientId, client_secret: devClient.clientSecret, grant_type: 'client_credentials', scope: 'users:read' },
    })
    expect(issued.status).toBe(200)
    expect(TokenResponseSchema.parse(issued.json).expires_in).toBe(TTL_SECONDS)

    const token = await client.token()
    expect((await client.call('GET', '/users', { token })).status).toBe(200)
    const deadline = Date.now() + 20_000
    let answer = await client.call('GET', '/users', { token })
    while (answer.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      answer = await client.call('GET', '/users', { token })
    }
    expect(answer.status).toBe(401)
    expect(ProblemSchema.parse(answer.json).detail).toBe('authorization: token expired')
    // A fresh token works again: expiry, not a broken client.
    expect((await createSandboxClient(url, devClient).call('GET', '/users')).status).toBe(200)
  })
})
