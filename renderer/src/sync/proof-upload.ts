/**
 * Before a data change with an attached proof file is sent: the file goes to the team
 * server's document store (through main, which holds the bridge token) and the link it
 * answers replaces the placeholder in the change. The link is recorded with the file first,
 * so a crash between upload and send does not upload the same document twice.
 */
import type { ApiError } from '../../../shared/api-result'
import { PROOF_FILE_PLACEHOLDER_LINK } from '../../../shared/proof-document'
import type { DataChangeBody } from '../../../shared/schemas/data-change'
import type { OutpostDb } from '../db/database'
import { getProofFile, recordUploadedLink } from '../db/proof-files'
import type { DataChangeEntry } from '../db/rows'
import type { EntryOutcome } from './classify-result'
import type { SyncTransport } from './transport'

export type ProofLink =
  /** The change carries a typed link (or no proof): send it as it is. */
  | { readonly kind: 'none' }
  | { readonly kind: 'link'; readonly link: string }
  /** No link yet: retry later or park, like a failed send. */
  | { readonly kind: 'failed'; readonly outcome: EntryOutcome }

export function needsUpload(body: DataChangeBody): boolean {
  return 'data_download_link' in body && body.data_download_link === PROOF_FILE_PLACEHOLDER_LINK
}

export async function resolveProofLink(db: OutpostDb, transport: SyncTransport, entry: DataChangeEntry): Promise<ProofLink> {
  if (!needsUpload(entry.payload.change.body)) return { kind: 'none' }
  const file = await getProofFile(db, entry.id)
  if (file === undefined) return park('the attached proof file is no longer on this device: edit the change and give the proof again')
  if (file.uploadedLink !== undefined) return { kind: 'link', link: file.uploadedLink }
  if (transport.uploadProofDocument === undefined) return park('this app cannot upload proof files')
  const result = await transport.uploadProofDocument({ contentType: file.contentType, dataBase64: bytesToBase64(file.bytes) })
  if (!result.ok) return { kind: 'failed', outcome: classifyUpload(result.error) }
  await recordUploadedLink(db, entry.id, result.value.url)
  return { kind: 'link', link: result.value.url }
}

/** The body to send: the placeholder replaced by the document store's link. */
export function withProofLink(body: DataChangeBody, link: ProofLink): DataChangeBody {
  return link.kind === 'link' ? { ...body, data_download_link: link.link } : body
}

/**
 * A failed upload is retried like a send when nothing answered or the server was busy; a
 * refusal (too big, wrong kind, token) needs the person. A missing bridge setting is not
 * the API's credentials: it parks this entry instead of pausing the whole client.
 */
export function classifyUpload(error: ApiError): EntryOutcome {
  if (error.kind === 'transient')
    return error.retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs: error.retryAfterMs }
  return {
    kind: 'park',
    error: error.kind === 'not_configured' ? { kind: 'validation', status: 0, message: error.message, fieldErrors: [] } : error,
  }
}

function park(message: string): ProofLink {
  return { kind: 'failed', outcome: { kind: 'park', error: { kind: 'validation', status: 0, message, fieldErrors: [] } } }
}

/** Base64 in slices: a 10 MiB file spread into one call's arguments would overflow the stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const SLICE = 0x8000
  for (let i = 0; i < bytes.length; i += SLICE) binary += String.fromCharCode(...bytes.subarray(i, i + SLICE))
  return btoa(binary)
}
