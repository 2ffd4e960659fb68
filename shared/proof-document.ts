/**
 * A proof document attached to a data change in the field (a scan or photo of a paper ID):
 * the kinds the team server's document store takes, recognised by their first bytes (a
 * file's name or declared type is not trusted), and the size cap. Pure: no I/O.
 */
import { z } from 'zod'

export const PROOF_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const
export const ProofContentTypeSchema = z.enum(PROOF_CONTENT_TYPES)
export type ProofContentType = z.infer<typeof ProofContentTypeSchema>

/** The team server's cap (its `maxDocumentBytes` default): 10 MiB. */
export const PROOF_MAX_BYTES = 10 * 1024 * 1024

const MAGIC: ReadonlyArray<{ readonly type: ProofContentType; readonly bytes: readonly number[] }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
]

/** The kind of file these bytes start like, or undefined for anything else. */
export function sniffProofType(bytes: Uint8Array): ProofContentType | undefined {
  return MAGIC.find((kind) => bytes.length > kind.bytes.length && kind.bytes.every((b, i) => bytes[i] === b))?.type
}

/**
 * Stands in the queued change's `data_download_link` while the proof is a file on this
 * device; replaced by the document store's link when the change is sent. `.invalid` is a
 * reserved top-level domain (RFC 2606): the placeholder can never reach a real host.
 */
export const PROOF_FILE_PLACEHOLDER_LINK = 'https://attached-proof-file.invalid/'

/** The IPC input of an upload: the bytes as base64 (JSON carries it over the web host too). */
export const ProofUploadSchema = z.strictObject({
  contentType: ProofContentTypeSchema,
  // base64 of at most PROOF_MAX_BYTES bytes.
  dataBase64: z
    .string()
    .min(1)
    .max(Math.ceil(PROOF_MAX_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
})
export type ProofUpload = z.infer<typeof ProofUploadSchema>

export const ProofUploadedSchema = z.object({ url: z.url() })
export type ProofUploaded = z.infer<typeof ProofUploadedSchema>
