import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { effectScope, ref, type EffectScope } from 'vue'
import { useLiveQuery } from '../../../../renderer/src/composables/use-live-query'
import type { OutpostDb } from '../../../../renderer/src/db/database'
import { freshDb, waitUntil } from '../../../support/sync/fixtures'

let db: OutpostDb
let scope: EffectScope
beforeEach(() => {
  db = freshDb('live')
  scope = effectScope()
})
afterEach(() => {
  scope.stop()
  db.close()
})

describe('useLiveQuery', () => {
  it('a slow direct re-read never replaces a newer live result with what it read before', async () => {
    await db.syncState.put({ key: 'k', value: 'first' })
    let holdNextRead: Promise<void> | null = null
    let release = () => {}
    const query = async () => {
      const value = (await db.syncState.get('k'))?.value
      const hold = holdNextRead
      holdNextRead = null
      if (hold !== null) await hold // read already done: answers late with what it saw
      return value
    }
    const poke = ref(0)
    const live = scope.run(() => useLiveQuery(() => query, undefined as unknown, () => poke.value))!
    await waitUntil(() => live.value.value === 'first', 5_000, 'first live result')

    holdNextRead = new Promise<void>((resolve) => (release = resolve))
    poke.value += 1
    await waitUntil(() => holdNextRead === null, 5_000, 'the direct re-read has read')
    await db.syncState.put({ key: 'k', value: 'second' })
    await waitUntil(() => live.value.value === 'second', 5_000, 'newer live result')

    release()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(live.value.value).toBe('second')
  })
})
