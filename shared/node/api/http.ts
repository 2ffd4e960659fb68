/**
 * Sends one signed request and reports what came back as plain data: a response
 * (any status, body as text) or a failure (network, timeout). Every request has a hard
 * deadline, so a socket that looks alive after a laptop sleeps cannot hang a sync step.
 * Status mapping and parsing live in map-response.ts; tokens in token-provider.ts.
 */
import axios, { type AxiosInstance } from 'axios'
import type { RequestSigner } from './sign'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface OutgoingRequest {
  readonly method: HttpMethod
  /** Path from the API root, e.g. `/users/123`. */
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | undefined>>
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  readonly timeoutMs: number
  /** The probe is unsigned: it only asks whether anything answers. */
  readonly unsigned?: boolean
}

export type RawOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  | { readonly kind: 'failure'; readonly reason: 'network' | 'timeout'; readonly message: string }

export type Send = (request: OutgoingRequest) => Promise<RawOutcome>

export function buildUrl(baseUrl: string, path: string, query?: OutgoingRequest['query']): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path)
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value))
  }
  return url.toString()
}

export function createSender(baseUrl: string, sign: RequestSigner, instance: AxiosInstance = axios.create()): Send {
  return async (request) => {
    const url = buildUrl(baseUrl, request.path, request.query)
    const headers: Record<string, string> = { ...request.headers }
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body))
    const signed = request.unsigned ? headers : { ...headers, ...sign({ method: request.method, url, headers, body: request.body }) }

    // Our own deadline covers connect + send + wait + read; axios' timeout alone is per socket idle.
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(), request.timeoutMs)
    try {
      const response = await instance.request<string>({
        url,
        method: request.method,
        headers: signed,
        data: request.body,
        timeout: request.timeoutMs,
        signal: deadline.signal,
        maxRedirects: 0,
        responseType: 'text',
        // The body is sent exactly as signed and read back as text: parsing is ours, at the edge.
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
      })
      return {
        kind: 'response',
        status: response.status,
        headers: flattenHeaders(response.headers),
        body: typeof response.data === 'string' ? response.data : '',
      }
    } catch (error) {
      const timedOut =
        deadline.signal.aborted || (axios.isAxiosError(error) && (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT'))
      if (timedOut)
        return {
          kind: 'failure',
          reason: 'timeout',
          message: `no answer from ${request.method} ${request.path} within ${request.timeoutMs} ms`,
        }
      const message = error instanceof Error ? error.message : String(error)
      return { kind: 'failure', reason: 'network', message: `${request.method} ${request.path} failed: ${message}` }
    } finally {
      clearTimeout(timer)
    }
  }
}

function flattenHeaders(headers: unknown): Record<string, string> {
  const flat: Record<string, string> = {}
  if (typeof headers !== 'object' || headers === null) return flat
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') flat[name.toLowerCase()] = value
    else if (typeof value === 'number') flat[name.toLowerCase()] = String(value)
    else if (Array.isArray(value)) flat[name.toLowerCase()] = value.join(', ')
  }
  return flat
}
