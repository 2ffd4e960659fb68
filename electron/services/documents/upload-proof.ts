/**
 * Uploads a data change's proof document to the team server's document store (the bridge's
 * `POST /documents`, device token) and answers the link it serves the document at, as an
 * ApiResult so the sync engine retries or parks it like any send. The bytes and the token
 * never reach a log: failures are described by status and reason only.
 */
import type { ApiResult } from '../../../shared/api-result'
import { ProblemSchema } from '../../../shared/schemas/problem'
import { safeParseUnknown } from '../../../shared/parse'
import { PROOF_MAX_BYTES, sniffProofType, type ProofContentType, type ProofUploaded } from '../../../shared/proof-document'
import { z } from 'zod'

/** An upload of 10 MiB on a slow field connection takes a while; past this it is retried. */
export const UPLOAD_TIMEOUT_MS = 120_000

export interface ProofUploadRequest {
  readonly bridgeUrl: string
  readonly token: string
  readonly contentType: ProofContentType
  readonly bytes: Uint8Array<ArrayBuffer>
  readonly timeoutMs?: number
  readonly fetch?: typeof globalThis.fetch
}

const StoredSchema = z.object({ url: z.url() })
const FIELD = 'data_download_link'

export async function uploadProof(request: ProofUploadRequest): Promise<ApiResult<ProofUploaded>> {
  // Checked here as well: main never forwards what the document store would refuse anyway.
  if (request.bytes.length > PROOF_MAX_BYTES) return refused(413, 'the proof document is larger than 10 MiB')
  if (sniffProofType(request.bytes) !== request.contentType)
    return refused(415, 'the proof document is not the PDF, JPEG or PNG it claims to be')
  const timeoutMs = request.timeoutMs ?? UPLOAD_TIMEOUT_MS
  const send = request.fetch ?? globalThis.fetch
  let response: Response
  try {
    response = await send(`${request.bridgeUrl.replace(/\/+$/, '')}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${request.token}`, 'content-type': request.contentType, accept: 'application/json' },
      body: request.bytes,
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    return timedOut
      ? {
          ok: false,
          error: { kind: 'transient', reason: 'timeout', message: `the team server did not answer the upload within ${timeoutMs} ms` },
        }
      : { ok: false, error: { kind: 'transient', reason: 'network', message: 'the team server could not be reached for the upload' } }
  }
  const json: unknown = await response.json().catch(() => undefined)
  if (response.status === 201 || response.status === 200) {
    const stored = safeParseUnknown(StoredSchema, json)
    if (stored.ok) return { ok: true, value: { url: stored.value.url } }
    return {
      ok: false,
      error: { kind: 'invalid_response', status: response.status, message: 'the team server answered the upload without a link' },
    }
  }
  const problem = safeParseUnknown(ProblemSchema, json)
  const detail = problem.ok ? (problem.value.detail ?? problem.value.title) : undefined
  const message = `the team server refused the upload (${response.status}${detail ? `: ${detail}` : ''})`
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'))
    return {
      ok: false,
      error: {
        kind: 'transient',
        reason: response.status === 429 ? 'rate_limited' : 'server',
        status: response.status,
        message,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      },
    }
  }
  if (response.status === 401 || response.status === 403)
    return {
      ok: false,
      error: { kind: 'validation', status: response.status, message: `${message}; check the bridge token in Settings`, fieldErrors: [] },
    }
  if (response.status === 413 || response.status === 415) return refused(response.status, message)
  return { ok: false, error: { kind: 'invalid_response', status: response.status, message } }
}

function refused(status: number, message: string): ApiResult<never> {
  return { ok: false, error: { kind: 'validation', status, message, fieldErrors: [{ field: FIELD, message }] } }
}
