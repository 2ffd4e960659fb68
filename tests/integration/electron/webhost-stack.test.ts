import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FeedBatchSchema } from '../../../shared/ipc/contract'
import { parseUnknown } from '../../../shared/parse'
import { eventUserId } from '../../../shared/schemas'
import { startOutpostStack, type OutpostStack } from '../../support/outpost-stack'

/** Yields SSE frames from a streaming response. */
async function* frames(response: Response): AsyncGenerator<{ event: string; data: string }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += value
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event = /^event: (.*)$/m.exec(frame)?.[1]
        const data = /^data: (.*)$/m.exec(frame)?.[1]
        if (event !== undefined && data !== undefined) yield { event, data }
      }
    }
  } finally {
    await reader.cancel()
  }
}

describe('web host wired to the simulator and bridge', () => {
  let stack: OutpostStack
  const host = () => stack.webHost!
  const call = async (method: string, input?: unknown): Promise<unknown> => {
    const response = await fetch(`${host().origin}/ipc/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host().token}`, 'content-type': 'application/json' },
      body: input === undefined ? '' : JSON.stringify(input),
    })
    return response.json()
  }

  beforeAll(async () => {
    stack = await startOutpostStack({ webHost: { poller: { waitSeconds: 2 } } })
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('tests the connection to both services', async () => {
    expect(await call('testConnection')).toMatchObject({ ok: true, value: { api: { ok: true }, bridge: { ok: true } } })
  })

  it('creates a user over IPC and hands its events to the page, advancing only after confirm', async () => {
    const stream = await fetch(`${host().origin}/events?token=${host().token}`)
    const events = frames(stream)
    const created = (await call('createUser', {
      idempotencyKey: randomUUID(),
      body: {
        first_name: 'Webby',
        last_name: 'Host',
        birth_date: '1991-07-07',
        nationalities: ['AT'],
        address: { address_line1: 'Ring 1', postcode: '1010', city: 'Wien', country: 'AT' },
      },
    })) as { ok: true; value: { ok: true; value: { id: string } } }
    expect(created).toMatchObject({ ok: true, value: { ok: true, value: { first_name: 'Webby' } } })
    const userId = created.value.value.id

    for await (const frame of events) {
      if (frame.event !== 'feedBatch') continue
      const batch = parseUnknown(FeedBatchSchema, JSON.parse(frame.data) as unknown)
      expect(host().runtime.poller()?.status().cursor).not.toBe(batch.cursor)
      expect(await call('confirmFeedBatch', { cursor: batch.cursor })).toEqual({ ok: true, value: null })
      if (batch.events.some((e) => eventUserId(e) === userId)) {
        expect(host().runtime.poller()?.status().cursor).toBe(batch.cursor)
        break
      }
    }
  })

  // Also the path where the poller is mid-request at shutdown: close must not hang on the bridge.
  it('reports connectivity from the API probe (and resends an unconfirmed batch)', async () => {
    await host().runtime.connectivity.check()
    expect(await call('getConnectivity')).toMatchObject({ ok: true, value: { online: true } })
  })
})
