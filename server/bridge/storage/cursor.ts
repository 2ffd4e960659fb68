/**
 * Feed cursors: opaque to clients, meaningful to the store. A cursor names a sequence
 * number and the store's epoch (made when the store file is created), so a wiped or
 * replaced store answers "gone" to old cursors instead of silently skipping events.
 */
const CURSOR_VERSION = 'c1'
const EPOCH_PATTERN = /^[A-Za-z0-9_-]{4,64}$/
const MAX_CURSOR_LENGTH = 200

export interface CursorParts {
  readonly epoch: string
  readonly seq: number
}

export function encodeCursor(parts: CursorParts): string {
  return Buffer.from(`${CURSOR_VERSION}.${parts.epoch}.${parts.seq}`, 'utf8').toString('base64url')
}

/** `undefined` for anything that is not a cursor this bridge could have issued. */
export function decodeCursor(cursor: string): CursorParts | undefined {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined
  const [version, epoch, seqText, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('.')
  if (version !== CURSOR_VERSION || rest.length > 0 || epoch === undefined || seqText === undefined) return undefined
  if (!EPOCH_PATTERN.test(epoch) || !/^(0|[1-9][0-9]{0,15})$/.test(seqText)) return undefined
  const seq = Number(seqText)
  return Number.isSafeInteger(seq) ? { epoch, seq } : undefined
}
