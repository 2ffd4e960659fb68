/**
 * The actions field staff can queue, declared once. The renderer's outbox rows (their zod
 * schemas and types) and main's journal derive their kinds from this list, so adding a kind
 * here fails the build wherever a kind is handled but the new one is not.
 */
export const OUTBOX_KINDS = ['create', 'dataChange', 'offboard'] as const
export type OutboxKind = (typeof OUTBOX_KINDS)[number]
