/**
 * Request validation with the shared zod schemas, turning failures into a 400 problem
 * whose detail names each field. For unions (plain vs extended user, the data-change
 * kinds) it reports the branch that came closest instead of zod's bare "Invalid input".
 */
import type { z } from 'zod'
import { formatPath, type FieldIssue } from '../../shared/parse'
import { validationProblem } from './problem'

type Issue = z.core.$ZodIssue

function flatten(issues: readonly Issue[], base: readonly PropertyKey[]): FieldIssue[] {
  const out: FieldIssue[] = []
  for (const issue of issues) {
    const path = [...base, ...issue.path]
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? []
      out.push(...flatten(closest, path))
    } else {
      out.push({ path: formatPath(path), message: issue.message })
    }
  }
  return out
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  throw validationProblem(flatten(result.error.issues, []), prefix)
}
