/** RFC 7807 problem details as the API answers errors (`application/problem+json`). */
import { z } from 'zod'

export const ProblemSchema = z.object({
  type: z.string(),
  status: z.number().int(),
  title: z.string().optional(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  request_id: z.string().optional(),
})
export type Problem = z.infer<typeof ProblemSchema>
