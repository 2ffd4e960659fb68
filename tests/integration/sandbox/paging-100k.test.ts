import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ListUsersResponseSchema } from '../../../shared/schemas'
import { startTestSandbox, type TestSandbox } from '../../support/sandbox-fixture'

const USERS = 100_000
let t: TestSandbox

beforeAll(async () => {
  t = await startTestSandbox({ seed: USERS })
})
afterAll(async () => {
  await t.close()
})

const page = async (query: string) => {
  const result = await t.client.call('GET', `/users?${query}`)
  expect(result.status).toBe(200)
  return ListUsersResponseSchema.parse(result.json)
}

describe('paging at 100,000 users', () => {
  it('serves pages of 1000 anywhere in the list, in a stable order both ways', async () => {
    const first = await page('limit=1000')
    expect(first.meta).toMatchObject({ total_count: USERS, count: 1000 })
    const deep = await page('limit=1000&offset=98500')
    expect(deep.meta.count).toBe(1000)
    const tail = await page('limit=1000&offset=99500')
    expect(tail.meta.count).toBe(500)
    const beyond = await page('limit=1000&offset=100000')
    expect(beyond.data).toEqual([])

    const lastDesc = await page('limit=500&order=DESC')
    expect(lastDesc.data.map((u) => u.id)).toEqual([...tail.data].reverse().map((u) => u.id))
    const ids = [...first.data, ...deep.data].map((u) => u.id)
    expect(new Set(ids).size).toBe(2000)
    const keys = first.data.map((u) => `${u.created_at}|${u.id}`)
    expect(keys).toEqual([...keys].sort())
  })

  it('pages by updated_at with offsets that tile without gaps or repeats', async () => {
    const a = await page('sort=updated_at&limit=1000&offset=50000')
    const b = await page('sort=updated_at&limit=1000&offset=51000')
    const ab = await page('sort=updated_at&limit=1000&offset=50500')
    expect(ab.data.map((u) => u.id)).toEqual([...a.data.slice(500), ...b.data.slice(0, 500)].map((u) => u.id))
    const keys = [...a.data, ...b.data].map((u) => `${u.updated_at}|${u.id}`)
    expect(keys).toEqual([...keys].sort())
  })

  it('answers a deep page quickly', async () => {
    // Generous bound for a shared CI machine; an O(n) sort per request would take far longer.
    const started = performance.now()
    for (let i = 0; i < 5; i += 1) await page(`sort=updated_at&order=DESC&limit=1000&offset=${90_000 + i * 1000}`)
    expect((performance.now() - started) / 5).toBeLessThan(5_000)
  })
})
