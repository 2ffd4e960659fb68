/**
 * Which file a proof document is, by its first bytes (the declared content-type is not
 * trusted): PDF, JPEG or PNG; anything else is refused.
 */
const KINDS: ReadonlyArray<{ readonly type: string; readonly magic: Buffer }> = [
  { type: 'application/pdf', magic: Buffer.from('%PDF-', 'latin1') },
  { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
]

export function documentTypeOf(body: Buffer): string | undefined {
  return KINDS.find((kind) => body.length > kind.magic.length && body.subarray(0, kind.magic.length).equals(kind.magic))?.type
}
