/**
 * Reads a JSON file through a zod schema. No file is a typed `missing` result (a first
 * start); anything else that goes wrong is a `FileReadError` naming the file and the
 * problem. Reading never moves, rewrites or deletes the file, so a bad one stays for a person to fix.
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { ParseError, parseUnknown, type FieldIssue } from '../../../shared/parse'
import { errorCode, isMissing } from './missing'

export type JsonFileRead<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'missing' }

/**
 * `unreadable`: the disk refused it (permissions, a folder in its place);
 * `undecodable`: the `decode` step or JSON failed on decoded content (corrupt, or encrypted elsewhere);
 * `not-json`: plain content that is not JSON; `invalid`: JSON that does not fit the schema.
 */
export type FileProblem = 'unreadable' | 'undecodable' | 'not-json' | 'invalid'

export class FileReadError extends Error {
  override readonly name = 'FileReadError'
  constructor(
    readonly file: string,
    readonly problem: FileProblem,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message)
  }
}

export interface ReadJsonOptions {
  /** How errors name the file (`settings.json`, `secret store …`); its path by default. */
  readonly label?: string
  /** Turns the stored bytes into JSON text (decryption). Its content never appears in an error: it may be a secret. */
  readonly decode?: (bytes: Buffer) => string
}

export async function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  options: ReadJsonOptions = {},
): Promise<JsonFileRead<z.infer<S>>> {
  const label = options.label ?? path
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' }
    throw new FileReadError(path, 'unreadable', `${label} cannot be read: ${errorCode(error)}`)
  }
  const json = options.decode ? decodeJson(path, label, bytes, options.decode) : plainJson(path, label, bytes)
  try {
    return { kind: 'ok', value: parseUnknown(schema, json, label) }
  } catch (error) {
    if (error instanceof ParseError) throw new FileReadError(path, 'invalid', error.message, error.issues)
    throw error
  }
}

function plainJson(path: string, label: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown
  } catch (error) {
    throw new FileReadError(path, 'not-json', `${label} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function decodeJson(path: string, label: string, bytes: Buffer, decode: (bytes: Buffer) => string): unknown {
  try {
    return JSON.parse(decode(bytes)) as unknown
  } catch {
    // Never echo the content (JSON.parse quotes it): it is a secret or personal data, even when corrupt.
    throw new FileReadError(path, 'undecodable', `${label} cannot be read: corrupt, or encrypted by another OS user or machine`)
  }
}
