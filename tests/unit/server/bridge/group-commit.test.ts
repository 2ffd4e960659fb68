import { describe, expect, it } from 'vitest'
import { createGroupCommitter, type ItemOutcome } from '../../../../server/bridge/storage/group-commit'

describe('group commit', () => {
  it('writes requests of the same turn in one commit, each with its own outcome', async () => {
    const commits: number[][] = []
    const append = createGroupCommitter((items: readonly number[]) => {
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
    const append = createGroupCommitter((_items: readonly number[]): ItemOutcome<number>[] => {
      throw new Error('disk full')
    })
    const results = await Promise.allSettled([append(1), append(2)])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  })

  it('resolves nobody before the commit ran', async () => {
    let committed = false
    const append = createGroupCommitter((items: readonly number[]) => {
      committed = true
      return items.map((item): ItemOutcome<number> => ({ ok: true, value: item }))
    })
    const pending = append(1).then(() => committed)
    expect(committed).toBe(false)
    expect(await pending).toBe(true)
  })
})
