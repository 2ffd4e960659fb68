/**
 * The web host's push channel: every connected page holds one Server-Sent Events stream,
 * and a push goes to all of them as `event: <name>` with the JSON payload. A comment line
 * every few seconds keeps idle proxies and the browser from dropping the stream.
 */
import type { ServerResponse } from 'node:http'
import type { PushSink } from '../services/runtime/push'

export const SSE_KEEPALIVE_MS = 15_000
/** How soon a browser reconnects after the stream drops. */
export const SSE_RETRY_MS = 1_000

export interface SseHub {
  readonly push: PushSink
  attach(response: ServerResponse): void
  readonly clients: number
  close(): void
}

export function createSseHub(onAttach: () => void = () => undefined): SseHub {
  const clients = new Set<ServerResponse>()
  const keepalive = setInterval(() => {
    for (const client of clients) client.write(': keepalive\n\n')
  }, SSE_KEEPALIVE_MS)
  keepalive.unref()

  return {
    push(event, payload) {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
      for (const client of clients) client.write(frame)
    },
    attach(response) {
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      // `ready` tells the page (and e2e tests) that pushes will now reach it.
      response.write(`retry: ${SSE_RETRY_MS}\n\nevent: ready\ndata: {}\n\n`)
      clients.add(response)
      response.on('close', () => clients.delete(response))
      onAttach()
    },
    get clients() {
      return clients.size
    },
    close() {
      clearInterval(keepalive)
      for (const client of clients) client.end()
      clients.clear()
    },
  }
}
