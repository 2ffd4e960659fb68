import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { StateFileSchema } from '../../../server/sandbox/state-file'
import { ProblemSchema, UserSchema, type User } from '../../../shared/schemas'
import { createSandboxAdmin } from '../../support/sandbox-admin'
import { newIdempotencyKey } from '../../support/sandbox-client'
import { createBody, startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function stateFilePath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-sandbox-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'state.json')
}

async function started(options: Parameters<typeof startTestSandbox>[0]): Promise<TestSandbox> {
  const t = await startTestSandbox(options)
  cleanups.push(() => t.close())
  return t
}

async function createUser(t: TestSandbox): Promise<User> {
  const result = await t.client.call('POST', '/users', { body: createBody(), idempotencyKey: newIdempotencyKey() })
  expect(result.status).toBe(200)
  return UserSchema.parse(result.json)
}

async function getUser(t: TestSandbox, id: string): Promise<User> {
  return UserSchema.parse((await t.client.call('GET', `/users/${id}`)).json)
}

describe('pending data changes across a restart (state file)', () => {
  it('are saved, still pending after the restart (409 names it) and applied from there', async () => {
    const stateFile = await stateFilePath()
    const first = await started({ stateFile, dataChangeDelayMs: 60_000 })
    const user = await createUser(first)
    expect((await first.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })).status).toBe(202)
    await first.close()

    const saved = StateFileSchema.parse(JSON.parse(await readFile(stateFile, 'utf8')))
    expect(saved.pending_data_changes).toEqual([{ user_id: user.id, body: { title: 'DR' }, due_at: expect.any(String) }])

    const second = await started({ stateFile, dataChangeDelayMs: 60_000 })
    expect(((await second.admin('GET', '/state')).json as { pending_data_changes: number }).pending_data_changes).toBe(1)
    const again = await second.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'PROF' } })
    expect(again.status).toBe(409)
    expect(ProblemSchema.parse(again.json).detail).toContain('already pending')
    expect(await createSandboxAdmin(second.sandbox.url).applyDataChanges(user.id)).toBe(1)
    const changed = await getUser(second, user.id)
    expect(changed.title).toBe('DR')
    expect(changed.updated_at > user.updated_at).toBe(true)
  })

  it('keep a refusal set before the restart: the change still fails after it', async () => {
    const stateFile = await stateFilePath()
    const first = await started({ stateFile, dataChangeDelayMs: 60_000 })
    const user = await createUser(first)
    expect((await first.admin('POST', '/data-changes/reject-next', { reason: 'document unreadable' })).status).toBe(200)
    expect((await first.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })).status).toBe(202)
    await first.close()
    expect(StateFileSchema.parse(JSON.parse(await readFile(stateFile, 'utf8'))).pending_data_changes[0]?.reject_reason).toBe(
      'document unreadable',
    )

    const second = await started({ stateFile, dataChangeDelayMs: 60_000 })
    expect(await createSandboxAdmin(second.sandbox.url).applyDataChanges(user.id)).toBe(1)
    expect(await getUser(second, user.id)).toEqual(user)
  })

  it('resume their timers at the saved due time, not a new full delay', async () => {
    const stateFile = await stateFilePath()
    const first = await started({ stateFile, dataChangeDelayMs: 1_500 })
    const user = await createUser(first)
    expect((await first.client.call('POST', `/users/${user.id}/data_change_requests`, { body: { title: 'DR' } })).status).toBe(202)
    await first.close()

    // The restarted simulator's own delay is a minute: only the saved due time can apply it within seconds.
    const second = await started({ stateFile, dataChangeDelayMs: 60_000 })
    const deadline = Date.now() + 15_000
    let title = (await getUser(second, user.id)).title
    while (title !== 'DR' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      title = (await getUser(second, user.id)).title
    }
    expect(title).toBe('DR')
    expect(((await second.admin('GET', '/state')).json as { pending_data_changes: number }).pending_data_changes).toBe(0)
  })
})
