/**
 * A webhook receiver for tests: a loopback HTTP server that records every delivery (raw
 * body, headers, path) and answers with scripted statuses, plus event-driven waits.
 */
import { EventEmitter, once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedDelivery {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly answeredWith: number
}

export interface WebhookReceiver {
  readonly url: string
  readonly deliveries: readonly ReceivedDelivery[]
  /** Statuses for the next deliveries, in order; afterwards 200. */
  answerNext(...statuses: number[]): void
  waitFor(predicate: (deliveries: readonly ReceivedDelivery[]) => boolean, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

const DEFAULT_WAIT_MS = 15_000

export async function startWebhookReceiver(path = '/hooks/upvest'): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = []
  const script: number[] = []
  const events = new EventEmitter()
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const status = script.shift() ?? 200
      deliveries.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answeredWith: status,
      })
      response.writeHead(status).end()
      events.emit('delivery')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}${path}`,
    deliveries,
    answerNext: (...statuses) => script.push(...statuses),
    async waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      if (predicate(deliveries)) return
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('delivery', check)
          reject(new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${deliveries.length} deliveries)`))
        }, timeoutMs)
        function check(): void {
          if (!predicate(deliveries)) return
          clearTimeout(timer)
          events.off('delivery', check)
          resolve()
        }
        events.on('delivery', check)
      })
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
