/** `GET /users`: the query (paging and sorting) and the answer with its meta. */
import { z } from 'zod'
import { UserSchema } from './user'

export const MAX_PAGE_SIZE = 1000
export const DEFAULT_PAGE_SIZE = 100

export const SortFieldSchema = z.enum(['created_at', 'updated_at'])
export const SortOrderSchema = z.enum(['ASC', 'DESC'])

const INT32_MAX = 2_147_483_647

/**
 * Query values arrive as strings over HTTP: read as decimal int32 (the spec's type), so
 * `0x10`, `1e1`, `5.0` or ` 5` are refused instead of being coerced by JavaScript's Number.
 */
const queryInteger = () =>
  z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      if (typeof value === 'number') return value
      if (/^-?[0-9]{1,10}$/.test(value)) return Number(value)
      ctx.addIssue({ code: 'custom', message: 'must be a decimal whole number' })
      return z.NEVER
    })
    .pipe(z.number().int('must be a whole number').max(INT32_MAX, `must be at most ${INT32_MAX}`))

export const ListUsersQuerySchema = z.strictObject({
  sort: SortFieldSchema.default('created_at'),
  order: SortOrderSchema.default('ASC'),
  offset: queryInteger().pipe(z.number().min(0, 'must be 0 or more')).default(0),
  // 0 is valid (the spec's minimum): an empty page that still tells the total.
  limit: queryInteger()
    .pipe(z.number().min(0, 'must be 0 or more').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`))
    .default(DEFAULT_PAGE_SIZE),
})
export type ListUsersQuery = z.infer<typeof ListUsersQuerySchema>
export type ListUsersQueryInput = z.input<typeof ListUsersQuerySchema>

export const ListMetaSchema = z.object({
  offset: z.number().int().min(0),
  limit: z.number().int().min(0),
  count: z.number().int().min(0),
  total_count: z.number().int().min(0),
  sort: z.string().optional(),
  order: SortOrderSchema.optional(),
})

export const ListUsersResponseSchema = z.object({
  meta: ListMetaSchema,
  data: z.array(UserSchema),
})
export type ListUsersResponse = z.infer<typeof ListUsersResponseSchema>
