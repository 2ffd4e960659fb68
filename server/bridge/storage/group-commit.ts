/**
 * Group commit: appends requested while no commit is running (in the same turn of the event
 * loop) are written in one transaction, and those that arrive while a commit is under way
 * form the next one, so concurrent deliveries share one fsync instead of paying one each.
 * Each caller still gets its own outcome, and nobody's promise resolves before the commit.
 */
export type ItemOutcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown }

interface Pending<I, R> {
  readonly item: I
  readonly resolve: (value: R) => void
  readonly reject: (error: unknown) => void
}

/**
 * `commitAll` writes every item in one transaction, each isolated (a savepoint) so one
 * failing item does not sink the others; if it fails, the commit failed for all.
 */
export function createGroupCommitter<I, R>(
  commitAll: (items: readonly I[]) => Promise<ReadonlyArray<ItemOutcome<R>>>,
): (item: I) => Promise<R> {
  let queue: Array<Pending<I, R>> = []
  let running = false

  const commit = async (batch: ReadonlyArray<Pending<I, R>>): Promise<void> => {
    let outcomes: ReadonlyArray<ItemOutcome<R>>
    try {
      outcomes = await commitAll(batch.map((pending) => pending.item))
    } catch (error) {
      for (const pending of batch) pending.reject(error)
      return
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]
      if (outcome === undefined) pending.reject(new Error('group commit returned too few outcomes'))
      else if (outcome.ok) pending.resolve(outcome.value)
      else pending.reject(outcome.error)
    })
  }

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue
      queue = []
      await commit(batch)
    }
    running = false
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject })
      if (running) return
      running = true
      // setImmediate runs after the I/O callbacks of this turn: deliveries verified meanwhile join in.
      setImmediate(() => void drain())
    })
}
