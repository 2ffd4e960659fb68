/**
 * The one way to turn an untrusted value into a typed one, used at every edge:
 * IPC input, API answers, bridge events, config files, rows from older databases.
 * It only accepts a value whose static type is `unknown` (not a typed value, not `any`):
 * a caller cannot skip the check by passing something the compiler already vouches for.
 * `parseStrict` is for typed values whose schema says more than their type.
 */
import type { z } from 'zod'

export interface FieldIssue {
  readonly path: string
  readonly message: string
}

export class ParseError extends Error {
  override readonly name = 'ParseError'
  constructor(
    readonly context: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(`${context}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`)
  }
}

/** `address.postcode`, `nationalities.0` — the path a person can find in a form or a file. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.')
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }))
}

/**
 * `T` when it is exactly `unknown`, else `never`, so any other argument is a compile error.
 * A value already typed needs no parse; one from outside is `unknown` (`JSON.parse(text) as unknown`).
 */
export type OnlyUnknown<T> = unknown extends T ? (0 extends 1 & T ? never : T) : never

export function parseUnknown<S extends z.ZodType, T>(schema: S, value: OnlyUnknown<T>, context = 'invalid value'): z.infer<S> {
  return parseOrThrow(schema, value, context)
}

/**
 * For a value the compiler already types whose schema says more than its type (URL formats,
 * minimum lengths, defaults), checked before it is stored or sent. Values from outside are
 * `unknown` and go through `parseUnknown` instead.
 */
export function parseStrict<S extends z.ZodType>(schema: S, value: z.input<S>, context = 'invalid value'): z.infer<S> {
  return parseOrThrow(schema, value, context)
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, context: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new ParseError(context, issuesOf(result.error))
  return result.data
}

export type SafeParsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly FieldIssue[] }

export function safeParseUnknown<S extends z.ZodType, T>(schema: S, value: OnlyUnknown<T>): SafeParsed<z.infer<S>> {
  const result = schema.safeParse(value)
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) }
}
