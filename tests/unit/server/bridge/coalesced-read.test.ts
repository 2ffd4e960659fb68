import { describe, expect, it } from 'vitest'
import { createCoalescedReader } from '../../../../server/bridge/feed/coalesced-read'
import type { EventStore, ReadOutcome } from '../../../../server/bridge/storage/event-store'

/** A store whose reads stay pending until the test settles them, counting calls. */
function slowStore() {
  const pending: Array<(outcome: ReadOutcome) => void> = []
  const store: Pick<EventStore, 'readAfter'> = {
    readAfter: () => new Promise<ReadOutcome>((resolve) => pending.push(resolve)),
  }
  return { store: store as EventStore, pending }
}

const answer = (cursor: string): ReadOutcome => ({ kind: 'ok', events: [], nextCursor: cursor })

describe('coalesced feed reads', () => {
  it('shares one store read among identical concurrent requests', async () => {
    const { store, pending } = slowStore()
    const read = createCoalescedReader(store, { generation: 0 })
    const reads = [read('c', 10), read('c', 10), read('c', 10)]
    expect(pending).toHaveLength(1)
    pending[0]!(answer('x'))
    expect(await Promise.all(reads)).toEqual([answer('x'), answer('x'), answer('x')])
    // Settled reads are not cached: the next request asks the store again.
    void read('c', 10)
    expect(pending).toHaveLength(2)
  })

  it('does not share between different cursors or limits', () => {
    const { store, pending } = slowStore()
    const read = createCoalescedReader(store, { generation: 0 })
    void read('c', 10)
    void read('d', 10)
    void read('c', 20)
    void read(undefined, 10)
    expect(pending).toHaveLength(4)
  })

  it('never hands a read begun before a notify to a request after it', () => {
    const { store, pending } = slowStore()
    const notifier = { generation: 0 }
    const read = createCoalescedReader(store, notifier)
    void read('c', 10)
    notifier.generation += 1
    void read('c', 10)
    expect(pending).toHaveLength(2)
  })
})
