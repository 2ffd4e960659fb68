/**
 * The journal of unsent outbox entries main keeps outside IndexedDB, so an update or a
 * version downgrade that loses the database cannot lose what field staff typed.
 */
import { z } from 'zod'
import { OUTBOX_KINDS } from '../outbox-kinds'

export const JournalEntrySchema = z.object({
  id: z.string().min(1),
  userKey: z.string().min(1),
  kind: z.enum(OUTBOX_KINDS),
  idempotencyKey: z.string().min(1),
  createdAt: z.string(),
  /** The whole outbox entry as the renderer stored it; parsed by the renderer on restore. */
  entry: z.unknown(),
  /** The cached user row the entry belongs to, for a create made offline. */
  userRow: z.unknown().optional(),
})
export type JournalEntry = z.infer<typeof JournalEntrySchema>
