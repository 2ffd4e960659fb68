/**
 * The small part of RFC 8941 structured fields that signatures need: dictionaries whose
 * members are inner lists of strings (`signature-input`) or byte sequences (`signature`),
 * each with parameters. The raw text of a member is kept because the signature base must
 * repeat it byte for byte.
 */

export type ParamValue = string | number | boolean

export interface DictionaryMember {
  readonly label: string
  /** The member value exactly as sent, e.g. `("@method" "@path");created=1;keyid="k"`. */
  readonly raw: string
  readonly items: readonly string[]
  readonly bytes: Buffer | undefined
  readonly params: ReadonlyMap<string, ParamValue>
}

export class StructuredFieldError extends Error {
  override readonly name = 'StructuredFieldError'
}

const KEY_START = /[a-z*]/
const KEY_CHAR = /[a-z0-9_\-.*]/
const TOKEN_CHAR = /[A-Za-z0-9!#$%&'*+\-.^_`|~:/]/

class Cursor {
  index = 0
  constructor(readonly text: string) {}
  peek(): string | undefined {
    return this.text[this.index]
  }
  done(): boolean {
    return this.index >= this.text.length
  }
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.index += 1
  }
  expect(char: string): void {
    if (this.peek() !== char) throw new StructuredFieldError(`expected '${char}' at ${this.index}`)
    this.index += 1
  }
}

function parseKey(cursor: Cursor): string {
  const first = cursor.peek()
  if (first === undefined || !KEY_START.test(first)) throw new StructuredFieldError(`expected a key at ${cursor.index}`)
  const start = cursor.index
  while (!cursor.done() && KEY_CHAR.test(cursor.peek() ?? '')) cursor.index += 1
  return cursor.text.slice(start, cursor.index)
}

function parseString(cursor: Cursor): string {
  cursor.expect('"')
  let value = ''
  for (;;) {
    const char = cursor.peek()
    if (char === undefined) throw new StructuredFieldError('unterminated string')
    cursor.index += 1
    if (char === '"') return value
    if (char === '\\') {
      const escaped = cursor.peek()
      if (escaped !== '"' && escaped !== '\\') throw new StructuredFieldError('bad escape in string')
      value += escaped
      cursor.index += 1
    } else {
      value += char
    }
  }
}

function parseBytes(cursor: Cursor): Buffer {
  cursor.expect(':')
  const end = cursor.text.indexOf(':', cursor.index)
  if (end < 0) throw new StructuredFieldError('unterminated byte sequence')
  const encoded = cursor.text.slice(cursor.index, end)
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new StructuredFieldError('byte sequence is not base64')
  cursor.index = end + 1
  return Buffer.from(encoded, 'base64')
}

function parseBareItem(cursor: Cursor): ParamValue {
  const char = cursor.peek()
  if (char === '"') return parseString(cursor)
  if (char === '?') {
    cursor.index += 1
    const bit = cursor.peek()
    cursor.index += 1
    if (bit === '1') return true
    if (bit === '0') return false
    throw new StructuredFieldError('bad boolean')
  }
  if (char !== undefined && /[-0-9]/.test(char)) {
    const match = /^-?[0-9]{1,15}/.exec(cursor.text.slice(cursor.index))
    if (match === null) throw new StructuredFieldError('bad integer')
    cursor.index += match[0].length
    return Number(match[0])
  }
  if (char !== undefined && /[A-Za-z*]/.test(char)) {
    const start = cursor.index
    while (!cursor.done() && TOKEN_CHAR.test(cursor.peek() ?? '')) cursor.index += 1
    return cursor.text.slice(start, cursor.index)
  }
  throw new StructuredFieldError(`unexpected '${char ?? 'end'}' at ${cursor.index}`)
}

function parseParams(cursor: Cursor): Map<string, ParamValue> {
  const params = new Map<string, ParamValue>()
  while (cursor.peek() === ';') {
    cursor.index += 1
    cursor.skipSpaces()
    const key = parseKey(cursor)
    let value: ParamValue = true
    if (cursor.peek() === '=') {
      cursor.index += 1
      value = parseBareItem(cursor)
    }
    params.set(key, value)
  }
  return params
}

/** Parses a dictionary header such as `signature-input` or `signature`. */
export function parseDictionary(text: string): DictionaryMember[] {
  const cursor = new Cursor(text.trim())
  const members: DictionaryMember[] = []
  while (!cursor.done()) {
    const label = parseKey(cursor)
    cursor.expect('=')
    const start = cursor.index
    const items: string[] = []
    let bytes: Buffer | undefined
    if (cursor.peek() === '(') {
      cursor.index += 1
      for (;;) {
        cursor.skipSpaces()
        if (cursor.peek() === ')') break
        items.push(parseString(cursor))
        parseParams(cursor)
      }
      cursor.expect(')')
    } else if (cursor.peek() === ':') {
      bytes = parseBytes(cursor)
    } else {
      parseBareItem(cursor)
    }
    const params = parseParams(cursor)
    members.push({ label, raw: cursor.text.slice(start, cursor.index), items, bytes, params })
    cursor.skipSpaces()
    if (cursor.done()) break
    cursor.expect(',')
    cursor.skipSpaces()
  }
  return members
}

export function serializeString(value: string): string {
  if (/[^\x20-\x7e]/.test(value)) throw new StructuredFieldError('strings must be printable ASCII')
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** `("a" "b");keyid="k";created=1` in the given parameter order. */
export function serializeInnerList(items: readonly string[], params: ReadonlyArray<readonly [string, ParamValue]>): string {
  const list = `(${items.map(serializeString).join(' ')})`
  const rendered = params.map(([key, value]) => {
    if (typeof value === 'string') return `;${key}=${serializeString(value)}`
    if (typeof value === 'number') return `;${key}=${Math.trunc(value)}`
    return value ? `;${key}` : `;${key}=?0`
  })
  return list + rendered.join('')
}
