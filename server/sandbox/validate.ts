/**
 * Request validation with the shared zod schemas, turning failures into a 400 problem
 * whose detail names each field. For unions (plain vs extended user, the data-change
 * kinds) it reports the branch the body's own fields point to: one that knows every field
 * sent (extended fields -> the extended shape, proof fields -> the proof kinds), and among
 * those the one with the fewest issues, instead of zod's bare "Invalid input".
 */
import { z } from 'zod'
import { formatPath, type FieldIssue } from '../../shared/parse'
import { validationProblem } from './problem'

type Issue = z.core.$ZodIssue

/** A branch that rejects fields of the body itself is the wrong shape, not a near miss. */
const rejectsOwnFields = (branch: readonly Issue[]): boolean =>
  branch.some((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0)

function closestBranch(branches: ReadonlyArray<readonly Issue[]>): readonly Issue[] {
  const rank = (branch: readonly Issue[]): number => (rejectsOwnFields(branch) ? 1 : 0)
  // Stable sort: on a tie the union's own order decides, as before.
  return [...branches].sort((a, b) => rank(a) - rank(b) || a.length - b.length)[0] ?? []
}

function flatten(issues: readonly Issue[], base: readonly PropertyKey[]): FieldIssue[] {
  const out: FieldIssue[] = []
  for (const issue of issues) {
    const path = [...base, ...issue.path]
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push(...flatten(closestBranch(issue.errors), path))
    } else {
      out.push({ path: formatPath(path), message: issue.message })
    }
  }
  return out
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  // zod answers a failed union with the one branch whose issues are all non-fatal (often
  // "unrecognized keys"), so the branches are asked one by one to pick the right one here.
  const issues =
    schema instanceof z.ZodUnion
      ? closestBranch(schema.options.map((option) => z.safeParse(option, value).error?.issues ?? []))
      : result.error.issues
  throw validationProblem(flatten(issues, []), prefix)
}
