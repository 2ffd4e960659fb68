/**
 * The one way to turn an untrusted value into a typed one, used at every edge:
 * IPC input, API answers, bridge events, config files, rows from older databases.
 * It only accepts `unknown`, so a caller cannot skip the check by passing a typed value.
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

export function parseUnknown<S extends z.ZodType>(schema: S, value: unknown, context = 'invalid value'): z.infer<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new ParseError(context, issuesOf(result.error))
  return result.data
}

export type SafeParsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly FieldIssue[] }

export function safeParseUnknown<S extends z.ZodType>(schema: S, value: unknown): SafeParsed<z.infer<S>> {
  const result = schema.safeParse(value)
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) }
}
