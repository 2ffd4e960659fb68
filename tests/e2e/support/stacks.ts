/**
 * What the global setup started, as the specs see it: passed through environment
 * variables (workers are separate processes) and read back with a schema.
 */
import { z } from 'zod'

export const STACKS_ENV = 'OUTPOST_E2E_STACKS'

const StackInfoSchema = z.object({ appUrl: z.string(), apiUrl: z.string(), bridgeUrl: z.string() })
export type StackInfo = z.infer<typeof StackInfoSchema>

export const StacksSchema = z.object({
  /** A few demo users: the functional specs. */
  small: StackInfoSchema,
  /** Its own few users for the spec that cuts the API off, so no other spec sees the outage. */
  offline: StackInfoSchema,
  /** 100,000 users: the list performance spec. */
  large: StackInfoSchema,
})
export type Stacks = z.infer<typeof StacksSchema>

export function readStacks(): Stacks {
  const raw = process.env[STACKS_ENV]
  if (raw === undefined) throw new Error(`${STACKS_ENV} is not set: run through playwright.config.ts (global setup)`)
  return StacksSchema.parse(JSON.parse(raw))
}

/** The user count of the large stack. */
export const LARGE_SEED = 100_000
export const SMALL_SEED = 12
