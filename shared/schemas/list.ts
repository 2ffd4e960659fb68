/** `GET /users`: the query (paging and sorting) and the answer with its meta. */
import { z } from 'zod'
import { UserSchema } from './user'

export const MAX_PAGE_SIZE = 1000
export const DEFAULT_PAGE_SIZE = 100

export const SortFieldSchema = z.enum(['created_at', 'updated_at'])
export const SortOrderSchema = z.enum(['ASC', 'DESC'])

/** Query values arrive as strings over HTTP; numbers are coerced, nothing else is guessed. */
export const ListUsersQuerySchema = z.strictObject({
  sort: SortFieldSchema.default('created_at'),
  order: SortOrderSchema.default('ASC'),
  offset: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`).default(DEFAULT_PAGE_SIZE),
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
