/**
 * The web host's request side: `POST /ipc/<method>` runs the shared handler table through
 * the same `dispatch` Electron uses and answers the `IpcEnvelope` as JSON. Every call must
 * carry the run token; only JSON bodies are accepted, so a cross-site form cannot call in.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Handlers } from '../services/handlers/create-handlers'
import { dispatch, isIpcMethod } from '../services/handlers/dispatch'
import type { IpcEnvelope } from '../../shared/ipc/contract'

/** Bigger than any contract input (a journal of a few hundred entries), small enough to refuse abuse. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024
/** A proof document of up to 10 MiB, as base64 in JSON (4/3 of it) with room for the envelope. */
export const MAX_UPLOAD_BODY_BYTES = 15 * 1024 * 1024
const bodyCapFor = (method: string) => (method === 'uploadProofDocument' ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES)

export async function handleIpcCall(handlers: Handlers, method: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') return sendEnvelope(response, 405, failure('method not allowed'))
  if (!isIpcMethod(method)) return sendEnvelope(response, 404, failure(`unknown method ${method}`))
  const type = request.headers['content-type'] ?? ''
  if (!type.startsWith('application/json')) return sendEnvelope(response, 415, failure('content-type must be application/json'))
  const body = await readBody(request, bodyCapFor(method))
  if (body === undefined) return sendEnvelope(response, 413, failure('body too large'))
  let input: unknown
  try {
    // An empty body is the `undefined` input of methods that take none.
    input = body.trim() === '' ? undefined : (JSON.parse(body) as unknown)
  } catch {
    return sendEnvelope(response, 400, { ok: false, failure: { code: 'invalid_input', message: 'body is not JSON', issues: [] } })
  }
  sendEnvelope(response, 200, await dispatch(handlers, method, input))
}

function failure(message: string): IpcEnvelope {
  return { ok: false, failure: { code: 'invalid_input', message, issues: [] } }
}

export function sendEnvelope(response: ServerResponse, status: number, envelope: IpcEnvelope): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  response.end(JSON.stringify(envelope))
}

/**
 * Past the cap the rest is read and dropped, then 413 is answered: replying while the
 * client is still sending would reset the connection before it reads the answer. A body
 * far past the cap (a flood, not a mistake) is cut off instead.
 */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES

function readBody(request: IncomingMessage, cap: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > DRAIN_LIMIT_BYTES) {
        request.destroy()
        resolve(undefined)
        return
      }
      if (size <= cap) chunks.push(chunk)
    })
    request.on('end', () => resolve(size > cap ? undefined : Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
