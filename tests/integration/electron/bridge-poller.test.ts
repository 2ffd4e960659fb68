import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { clientConfigFrom, createApiClient, type ApiClient } from '../../../shared/node/api'
import {
  createBridgePoller,
  type BridgePoller,
  type BridgePollerOptions,
  type PollerStatus,
} from '../../../electron/services/poller/bridge-poller'
import { createFileCursorStore, createMemoryCursorStore } from '../../../electron/services/poller/cursor-store'
import type { PushSink } from '../../../electron/services/runtime/push'
import type { IpcEventName, IpcEventPayload } from '../../../shared/ipc/contract'
import { eventUserId, type CreateUserBody } from '../../../shared/schemas'
import { startOutpostStack, type OutpostStack } from '../../support/outpost-stack'

const WAIT_MS = 15_000

/** Records pushes; `next` takes the oldest matching push not taken yet, or waits for one. */
function pushRecorder() {
  const seen: Array<{ event: IpcEventName; payload: unknown; taken: boolean }> = []
  const waiters: Array<{ test: (event: IpcEventName, payload: unknown) => boolean; resolve: (payload: unknown) => void }> = []
  const push: PushSink = (event, payload) => {
    const entry = { event, payload: payload as unknown, taken: false }
    seen.push(entry)
    const waiter = waiters.find((w) => w.test(event, payload))
    if (waiter) {
      entry.taken = true
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(payload)
    }
  }
  function next<E extends IpcEventName>(
    event: E,
    accept: (payload: IpcEventPayload<E>) => boolean = () => true,
  ): Promise<IpcEventPayload<E>> {
    const test = (name: IpcEventName, payload: unknown) => name === event && accept(payload as IpcEventPayload<E>)
    const earlier = seen.find((entry) => !entry.taken && test(entry.event, entry.payload))
    if (earlier) {
      earlier.taken = true
      return Promise.resolve(earlier.payload as IpcEventPayload<E>)
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} push within ${WAIT_MS} ms`)), WAIT_MS)
      waiters.push({
        test,
        resolve: (payload) => {
          clearTimeout(timer)
          resolve(payload as IpcEventPayload<E>)
        },
      })
    })
  }
  return { push, next, seen }
}

function statusReached(poller: BridgePoller, accept: (status: PollerStatus) => boolean): Promise<PollerStatus> {
  if (accept(poller.status())) return Promise.resolve(poller.status())
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`poller status not reached: ${JSON.stringify(poller.status())}`)), WAIT_MS)
    const off = poller.onStatus((status) => {
      if (!accept(status)) return
      clearTimeout(timer)
      off()
      resolve(status)
    })
  })
}

const userBody = (firstName: string): CreateUserBody => ({
  first_name: firstName,
  last_name: 'Tester',
  birth_date: '1985-01-02',
  nationalities: ['DE'],
  address: { address_line1: 'Hauptstr. 1', postcode: '10115', city: 'Berlin', country: 'DE' },
})

describe('bridge poller against the real bridge', () => {
  let stack: OutpostStack
  let api: ApiClient
  let dir: string
  const pollers: BridgePoller[] = []

  beforeAll(async () => {
    stack = await startOutpostStack()
    api = createApiClient(clientConfigFrom(stack.config)!)
    dir = await mkdtemp(join(tmpdir(), 'outpost-poller-'))
  })
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()))
  })
  afterAll(async () => {
    await stack?.close()
    await rm(dir, { recursive: true, force: true })
  })

  function poller(options: Partial<BridgePollerOptions> & Pick<BridgePollerOptions, 'push' | 'cursorStore'>): BridgePoller {
    const created = createBridgePoller({
      bridgeUrl: stack.bridge.url,
      token: stack.bridge.clientToken,
      waitSeconds: 2,
      backoff: { baseMs: 50, capMs: 200 },
      ...options,
    })
    pollers.push(created)
    return created
  }

  async function createUser(name: string): Promise<string> {
    const created = await api.createUser(userBody(name), randomUUID())
    if (!created.ok) throw new Error(created.error.message)
    return created.value.id
  }

  it('hands batches over, advances the cursor only after confirm, and resumes from it after a restart', async () => {
    const cursorFile = join(dir, 'cursor.json')
    const recorder = pushRecorder()
    const first = poller({ push: recorder.push, cursorStore: createFileCursorStore(cursorFile) })
    await first.start()
    const userId = await createUser('Alice')
    const batch = await recorder.next('feedBatch', (b) => b.events.some((e) => eventUserId(e) === userId))
    expect(await createFileCursorStore(cursorFile).load(stack.bridge.url)).not.toBe(batch.cursor)
    first.confirm(batch.cursor)
    await statusReached(first, (s) => s.cursor === batch.cursor)
    expect(await createFileCursorStore(cursorFile).load(stack.bridge.url)).toBe(batch.cursor)
    // Confirm whatever else of Alice's arrives (CREATED and ACTIVATED may come in two batches).
    let seen = batch.events.filter((e) => eventUserId(e) === userId).length
    while (seen < 2) {
      const more = await recorder.next('feedBatch')
      first.confirm(more.cursor)
      await statusReached(first, (s) => s.cursor === more.cursor)
      seen += more.events.filter((e) => eventUserId(e) === userId).length
    }
    await first.stop()

    // A new poller (an app restart) starts after the confirmed cursor: only new events arrive.
    const recorder2 = pushRecorder()
    const second = poller({ push: recorder2.push, cursorStore: createFileCursorStore(cursorFile) })
    await second.start()
    const laterId = await createUser('Bob')
    const next = await recorder2.next('feedBatch', (b) => b.events.some((e) => eventUserId(e) === laterId))
    expect(next.events.every((e) => eventUserId(e) !== userId)).toBe(true)
    second.confirm(next.cursor)
  })

  it('sends an unconfirmed batch again', async () => {
    const recorder = pushRecorder()
    const cursorStore = createMemoryCursorStore()
    const p = poller({ push: recorder.push, cursorStore, confirmTimeoutMs: 300 })
    await p.start()
    const userId = await createUser('Carol')
    const mine = (b: IpcEventPayload<'feedBatch'>) => b.events.some((e) => eventUserId(e) === userId)
    const once = await recorder.next('feedBatch', mine)
    const again = await recorder.next('feedBatch', mine)
    expect(again.cursor).toBe(once.cursor)
    expect(cursorStore.saved).not.toContain(once.cursor)
    p.confirm(again.cursor)
    await statusReached(p, (s) => s.cursor === again.cursor)
  })

  it('asks for a full reconcile on 410 and restarts from the head cursor', async () => {
    const recorder = pushRecorder()
    const cursorStore = createMemoryCursorStore()
    // A well-formed cursor from another store epoch: the bridge answers 410 with its head.
    const stale = Buffer.from('c1.otherepoch.5').toString('base64url')
    await cursorStore.save(stack.bridge.url, stale)
    const p = poller({ push: recorder.push, cursorStore })
    const reconcile = recorder.next('reconcileRequired')
    await p.start()
    await expect(reconcile).resolves.toMatchObject({ reason: expect.any(String) })
    const head = await statusReached(p, (s) => s.cursor !== stale)
    expect(head.cursor).toBeTruthy()
    expect(cursorStore.saved).toContain(head.cursor)
  })

  it('asks for a reconcile when the bridge rejects the cursor outright', async () => {
    const recorder = pushRecorder()
    const cursorStore = createMemoryCursorStore()
    await cursorStore.save(stack.bridge.url, 'not-a-cursor')
    const p = poller({ push: recorder.push, cursorStore })
    const reconcile = recorder.next('reconcileRequired')
    await p.start()
    await expect(reconcile).resolves.toEqual({ reason: 'invalid_cursor' })
  })

  it('backs off while the bridge rejects the token, and retries at once when woken', async () => {
    const recorder = pushRecorder()
    const p = poller({
      push: recorder.push,
      cursorStore: createMemoryCursorStore(),
      token: 'wrong',
      backoff: { baseMs: 60_000, capMs: 60_000 },
    })
    await p.start()
    const failing = await statusReached(p, (s) => s.state === 'backing_off')
    expect(failing).toMatchObject({ failures: 1, lastError: expect.stringContaining('401') })
    p.wake()
    await statusReached(p, (s) => s.failures === 2)
  })

  it('tells the renderer when the bridge reports its webhook subscription lost or back, once per change', async () => {
    // Pages of a feed with no events; the subscription is live, then lost (3 pages), then live again.
    const states = [true, false, false, false, true]
    let page = 0
    const feed = createServer((_request, response) => {
      const live = states[Math.min(page, states.length - 1)]
      page++
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ events: [], next_cursor: `c${page}`, subscription: live ? { live, state: 'ok' } : { live, state: 'silent', detail: 'no test delivery' } }))
    })
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve))
    try {
      const recorder = pushRecorder()
      const p = poller({ push: recorder.push, cursorStore: createMemoryCursorStore(), bridgeUrl: `http://127.0.0.1:${(feed.address() as AddressInfo).port}` })
      await p.start()
      await statusReached(p, (s) => s.cursor === `c${states.length}`)
      await p.stop()
      expect(recorder.seen.filter((s) => s.event === 'liveUpdates').map((s) => s.payload)).toEqual([
        { live: true, state: 'ok' },
        { live: false, state: 'silent', detail: 'no test delivery' },
        { live: true, state: 'ok' },
      ])
    } finally {
      await new Promise((resolve) => feed.close(resolve))
    }
  })

  it('keeps at most one long-poll in flight whatever order start and stop are called in', async () => {
    // Holds every feed request open (as the bridge does when nothing is new) and counts the open ones.
    let open = 0
    let received = 0
    const feed = createServer((request) => {
      open++
      received++
      request.socket.once('close', () => open--)
    })
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve))
    const requestsReached = async (count: number): Promise<void> => {
      const deadline = Date.now() + WAIT_MS
      while (received < count) {
        if (Date.now() > deadline) throw new Error(`only ${received} feed request(s) arrived`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      // An aborted request's close can reach the server just after its successor: let it land.
      await new Promise((resolve) => setTimeout(resolve, 300))
    }
    try {
      const p = poller({
        push: pushRecorder().push,
        cursorStore: createMemoryCursorStore(),
        bridgeUrl: `http://127.0.0.1:${(feed.address() as AddressInfo).port}`,
      })
      await p.start()
      await requestsReached(1)
      expect(open).toBe(1)

      // A restart that does not wait for the stop: the old loop must not carry on beside the new one.
      void p.stop()
      await p.start()
      await requestsReached(2)
      expect(open).toBe(1)

      // A stop while the start is still loading the cursor, then another start.
      await p.stop()
      const starting = p.start()
      void p.stop()
      await Promise.all([starting, p.start(), p.start()])
      await requestsReached(3)
      expect(open).toBe(1)

      // Waking and a renderer reconnecting replace the request in flight, never add one.
      p.wake()
      p.redeliver()
      await requestsReached(4)
      expect(open).toBe(1)
      await p.stop()
    } finally {
      feed.closeAllConnections()
      await new Promise((resolve) => feed.close(resolve))
    }
  })

  it('still polls, from the bridge\'s oldest event, when the saved cursor cannot be read', async () => {
    const recorder = pushRecorder()
    const unreadable = { load: () => Promise.reject(new Error('EACCES: permission denied')), save: async () => undefined }
    const p = poller({ push: recorder.push, cursorStore: unreadable })
    await p.start()
    expect(p.status().lastError).toMatch(/saved feed cursor could not be read.*EACCES/)
    const userId = await createUser('Unreadablecursor')
    // From the oldest event: earlier tests' batches come first, each confirmed as the renderer would.
    for (;;) {
      const batch = await recorder.next('feedBatch')
      if (batch.events.some((e) => eventUserId(e) === userId)) break
      await p.confirm(batch.cursor)
    }
  })

  it('gives up on a bridge that never answers at the hard deadline', async () => {
    const silent = createServer(() => undefined) // accepts and never answers: a socket dead after sleep looks like this
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const recorder = pushRecorder()
      const p = poller({
        push: recorder.push,
        cursorStore: createMemoryCursorStore(),
        bridgeUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        waitSeconds: 0,
        deadlineGraceMs: 300,
      })
      await p.start()
      const status = await statusReached(p, (s) => s.state === 'backing_off')
      expect(status.lastError).toContain('no answer')
      await p.stop()
    } finally {
      silent.closeAllConnections()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})
