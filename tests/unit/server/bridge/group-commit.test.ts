import { describe, expect, it } from 'vitest'
import { createGroupCommitter, type ItemOutcome } from '../../../../server/bridge/storage/group-commit'

describe('group commit', () => {
  it('writes requests of the same turn in one commit, each with its own outcome', async () => {
    const commits: number[][] = []
    const append = createGroupCommitter(async (items: readonly number[]) => {
      commits.push([...items])
      return items.map((item): ItemOutcome<number> =>
        item < 0 ? { ok: false, error: new Error(`bad ${item}`) } : { ok: true, value: item * 10 },
      )
    })
    const results = await Promise.allSettled([append(1), append(-2), append(3)])
    expect(commits).toEqual([[1, -2, 3]])
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('bad -2') },
      { status: 'fulfilled', value: 30 },
    ])
    // A later request starts a new group.
    expect(await append(4)).toBe(40)
    expect(commits).toEqual([[1, -2, 3], [4]])
  })

  it('fails every request of the group when the commit itself fails', async () => {
    const append = createGroupCommitter(async (_items: readonly number[]): Promise<ItemOutcome<number>[]> => {
      throw new Error('disk full')
    })
    const results = await Promise.allSettled([append(1), append(2)])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  })

  it('resolves nobody before the commit ran', async () => {
    let committed = false
    const append = createGroupCommitter(async (items: readonly number[]) => {
      committed = true
      return items.map((item): ItemOutcome<number> => ({ ok: true, value: item }))
    })
    const pending = append(1).then(() => committed)
    expect(committed).toBe(false)
    expect(await pending).toBe(true)
  })

  it('groups the requests that arrive while a commit runs into the next commit, one commit at a time', async () => {
    const commits: number[][] = []
    let finishFirst: () => void = () => undefined
    let running = 0
    let overlapped = false
    const append = createGroupCommitter(async (items: readonly number[]) => {
      commits.push([...items])
      running += 1
      overlapped ||= running > 1
      if (commits.length === 1) await new Promise<void>((resolve) => (finishFirst = resolve))
      running -= 1
      return items.map((item): ItemOutcome<number> => ({ ok: true, value: item }))
    })
    const first = append(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(commits).toEqual([[1]])
    const later = [append(2), append(3), append(4)]
    await new Promise((resolve) => setImmediate(resolve))
    expect(commits).toEqual([[1]]) // still waiting for the first commit
    finishFirst()
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4])
    expect(commits).toEqual([[1], [2, 3, 4]])
    expect(overlapped).toBe(false)
  })
})
