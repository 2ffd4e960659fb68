/**
 * The transport for a plain browser page served by the web host: calls are
 * `POST /ipc/<method>` with the run token, pushes arrive over one shared EventSource
 * (`GET /events?token=`). Same contract, same parsing as the preload transport.
 */
import { IPC_METHODS, type IpcEventName, type IpcMethod } from '../../../shared/ipc/contract'
import { parsePush, unwrapEnvelope } from './envelope'
import type { OutpostTransport } from './types'

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void
  removeEventListener(type: string, listener: (event: { data?: unknown }) => void): void
  close(): void
}

export interface WebTransportOptions {
  /** The web host's origin; '' for the page's own origin. */
  readonly baseUrl: string
  readonly token: string
  readonly fetch?: typeof fetch
  readonly createEventSource?: (url: string) => EventSourceLike
}

export function createWebTransport(options: WebTransportOptions): OutpostTransport {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const openEventSource = options.createEventSource ?? ((url: string) => new EventSource(url))
  let source: EventSourceLike | undefined
  let subscribers = 0

  async function call(method: IpcMethod, input: unknown): Promise<unknown> {
    const response = await doFetch(`${options.baseUrl}/ipc/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: input === undefined ? '' : JSON.stringify(input),
    })
    let body: unknown
    try {
      body = (await response.json()) as unknown
    } catch {
      body = undefined
    }
    return unwrapEnvelope(method, body)
  }

  const methods = Object.fromEntries(IPC_METHODS.map((method) => [method, (input?: unknown) => call(method, input)]))

  function on(event: IpcEventName, handler: (payload: never) => void): () => void {
    source ??= openEventSource(`${options.baseUrl}/events?token=${encodeURIComponent(options.token)}`)
    subscribers++
    const listener = (message: { data?: unknown }): void => {
      let raw: unknown
      try {
        raw = typeof message.data === 'string' ? (JSON.parse(message.data) as unknown) : undefined
      } catch {
        raw = undefined
      }
      const payload = parsePush(event, raw)
      if (payload !== undefined) (handler as (payload: unknown) => void)(payload)
    }
    source.addEventListener(event, listener)
    let active = true
    return () => {
      if (!active) return
      active = false
      source?.removeEventListener(event, listener)
      // The last subscriber closes the stream, so a torn-down app leaves no connection open.
      if (--subscribers === 0) {
        source?.close()
        source = undefined
      }
    }
  }

  return { ...methods, on, kind: 'web' } as unknown as OutpostTransport
}
