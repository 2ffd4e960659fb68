/**
 * Sends one outbox entry and commits what the answer means. The engine calls it for lane
 * heads only, at most one per user at a time. A stopped engine (closed tab, restart) commits
 * nothing it learns afterwards: the entry stays "sending" and is sent again with its key.
 */
import type { ApiResult } from '../../../shared/api-result'
import { assertNever } from '../../../shared/assert-never'
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import { MAX_PAGE_SIZE } from '../../../shared/schemas/list'
import type { User } from '../../../shared/schemas/user'
import type { OutpostDb } from '../db/database'
import type { CreateEntry, DataChangeEntry, OffboardEntry, OutboxEntry } from '../db/rows'
import { retryDelay, type BackoffPolicy } from './backoff'
import { classifyRead, classifyResult, toOutboxError, type EntryOutcome } from './classify-result'
import { preflightDataChange } from './data-change-preflight'
import { CLOCK_SKEW_MS, findCreatedUser } from './find-created-user'
import type { Committer } from './group-commit'
import {
  commitAccepted,
  commitCreated,
  commitDone,
  commitPark,
  commitParkedByReadBack,
  commitRetry,
  commitSettledByReadBack,
  markSending,
} from '../db/outbox-steps'
import { resolveProofLink, withProofLink } from './proof-upload'
import type { SendGate } from './send-gate'
import type { SyncTransport } from './transport'

/** How entries are retried and how long an idempotency key lives. */
export interface RunPolicy {
  readonly now: () => number
  readonly random: () => number
  readonly backoff: BackoffPolicy
  readonly keyLifetimeMs: number
  /** A data change accepted longer ago than this without showing is parked as not confirmed. */
  readonly confirmDeadlineMs: number
  /** Failed answers in a row after which an entry is parked with the last error. */
  readonly maxFailures: number
}

/** What one entry's run needs from the engine. */
export interface RunContext {
  readonly db: OutpostDb
  readonly transport: SyncTransport
  /** Runs an outbox write, possibly grouped with others into one transaction. */
  readonly commit: Committer
  readonly policy: RunPolicy
  /** Every API answer goes to the gate (status); a Retry-After pauses the whole client. */
  readonly gate: Pick<SendGate, 'observe' | 'pauseUntil' | 'untilSendable'>
  readonly slots: {
    /** Waits for a network slot for the entry's lane (held until `answered`) and for the gate. */
    readonly acquire: (entry: OutboxEntry) => Promise<void>
    /**
     * The entry has made its last API call; only its final commit is left. Its network slot
     * may go to the next entry, whose "sending" mark can then share this commit's transaction.
     */
    readonly answered: (entry: OutboxEntry) => void
  }
  readonly isStopped: () => boolean
}

export async function runEntry(ctx: RunContext, entry: OutboxEntry): Promise<void> {
  switch (entry.kind) {
    case 'create':
      return runCreate(ctx, entry)
    case 'dataChange':
      return runDataChange(ctx, entry)
    case 'offboard':
      return runOffboard(ctx, entry)
    default:
      return assertNever(entry, 'outbox entry')
  }
}

async function runCreate(ctx: RunContext, entry: CreateEntry): Promise<void> {
  const sent = await ctx.commit(() => markSending(ctx.db, entry.id, ctx.policy.now()))
  if (sent?.kind !== 'create' || ctx.isStopped()) return
  await ctx.slots.acquire(sent)
  if (ctx.isStopped()) return
  const firstSentAt = sent.firstSentAt ?? ctx.policy.now()
  if (ctx.policy.now() - firstSentAt > ctx.policy.keyLifetimeMs) {
    // The server may have forgotten the key: look for the user before sending again.
    const found = await readBackCreate(ctx, sent.payload.body, firstSentAt)
    if (ctx.isStopped()) return
    ctx.gate.observe(found.ok ? null : found.error)
    if (!found.ok) return handleOutcome(ctx, sent, classifyResult('create', found))
    const user = found.value
    if (user !== undefined) {
      ctx.slots.answered(sent)
      return ctx.commit(() => commitCreated(ctx.db, sent.id, sent.userKey, user, ctx.policy.now()))
    }
  }
  const result = await ctx.transport.createUser({ body: sent.payload.body, idempotencyKey: sent.idempotencyKey })
  if (ctx.isStopped()) return
  ctx.gate.observe(result.ok ? null : result.error)
  await handleOutcome(ctx, sent, classifyResult('create', result))
}

async function readBackCreate(ctx: RunContext, body: CreateUserBody, firstSentAt: number): Promise<ApiResult<User | undefined>> {
  // Newest first: the user, if it exists, was created after the first send.
  for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
    const page = await ctx.transport.listUsers({ sort: 'created_at', order: 'DESC', offset, limit: MAX_PAGE_SIZE })
    if (!page.ok) return page
    const found = findCreatedUser(body, page.value.data, firstSentAt)
    if (found !== undefined) return { ok: true, value: found }
    const oldest = page.value.data.at(-1)
    if (oldest === undefined || page.value.data.length < MAX_PAGE_SIZE || Date.parse(oldest.created_at) < firstSentAt - CLOCK_SKEW_MS) {
      return { ok: true, value: undefined }
    }
  }
}

/**
 * A data change reads the user first, every time (rules 9-11): the provider takes no
 * idempotency key on data changes, so a change whose earlier send may have arrived is never
 * sent blind; a user no longer ACTIVE, a field someone else changed since it was queued, or a
 * confirmation overdue parks it with the reason; a change already visible is done.
 */
async function runDataChange(ctx: RunContext, entry: DataChangeEntry): Promise<void> {
  await ctx.slots.acquire(entry)
  if (ctx.isStopped()) return
  const read = await ctx.transport.getUser({ userId: entry.userKey })
  if (ctx.isStopped()) return
  ctx.gate.observe(read.ok ? null : read.error)
  if (!read.ok) return handleOutcome(ctx, entry, classifyRead(read.error))
  const now = ctx.policy.now()
  const decision = preflightDataChange(entry, read.value, now, ctx.policy.confirmDeadlineMs)
  switch (decision.kind) {
    case 'done':
      ctx.slots.answered(entry)
      return ctx.commit(() => commitSettledByReadBack(ctx.db, entry, now, decision.detail, read.value))
    case 'park':
      ctx.slots.answered(entry)
      return ctx.commit(() => commitParkedByReadBack(ctx.db, entry, now, decision.error, read.value))
    case 'send':
      break
    default:
      return assertNever(decision, 'preflight decision')
  }
  // Marked only now, as it leaves: an entry the person edited since it was read is not sent.
  await ctx.gate.untilSendable()
  if (ctx.isStopped()) return
  // An attached proof file goes to the document store first; its link replaces the placeholder.
  const proof = await resolveProofLink(ctx.db, ctx.transport, entry)
  if (ctx.isStopped()) return
  if (proof.kind === 'failed') return handleOutcome(ctx, entry, proof.outcome)
  const sent = await ctx.commit(() => markSending(ctx.db, entry.id, ctx.policy.now(), entry.updatedAt))
  if (sent?.kind !== 'dataChange' || ctx.isStopped()) return
  const result = await ctx.transport.requestDataChange({ userId: sent.userKey, body: withProofLink(sent.payload.change.body, proof) })
  if (ctx.isStopped()) return
  ctx.gate.observe(result.ok ? null : result.error)
  await handleOutcome(ctx, sent, classifyResult('dataChange', result))
}

async function runOffboard(ctx: RunContext, entry: OffboardEntry): Promise<void> {
  const sent = await ctx.commit(() => markSending(ctx.db, entry.id, ctx.policy.now()))
  if (sent?.kind !== 'offboard' || ctx.isStopped()) return
  await ctx.slots.acquire(sent)
  if (ctx.isStopped()) return
  const result = await ctx.transport.offboardUser({ userId: sent.userKey })
  if (ctx.isStopped()) return
  ctx.gate.observe(result.ok ? null : result.error)
  await handleOutcome(ctx, sent, classifyResult('offboard', result))
}

async function handleOutcome(ctx: RunContext, entry: OutboxEntry, outcome: EntryOutcome): Promise<void> {
  ctx.slots.answered(entry)
  const now = ctx.policy.now()
  switch (outcome.kind) {
    case 'created':
      return ctx.commit(() => commitCreated(ctx.db, entry.id, entry.userKey, outcome.user, now))
    case 'accepted':
      return ctx.commit(() => commitAccepted(ctx.db, entry.id, now, outcome.detail))
    case 'done':
      return ctx.commit(() => commitDone(ctx.db, entry.id, now, outcome.detail))
    case 'credentials':
      // The whole client waits for new credentials (the gate saw the answer); the entry keeps its place, no failure counted.
      return ctx.commit(() => commitRetry(ctx.db, entry.id, now, now, toOutboxError(outcome.error), entry.failures ?? 0))
    case 'retry': {
      if (outcome.retryAfterMs !== undefined) ctx.gate.pauseUntil(now + outcome.retryAfterMs)
      // A network failure means no server answered (offline): it waits, but is not counted against the entry.
      const offline = outcome.error.kind === 'transient' && (outcome.error.reason === 'network' || outcome.error.reason === 'app_service')
      const failures = (entry.failures ?? 0) + (offline ? 0 : 1)
      if (failures >= ctx.policy.maxFailures) {
        const error = toOutboxError(outcome.error)
        return ctx.commit(() =>
          commitPark(ctx.db, entry.id, now, { ...error, kind: 'gave_up', message: `gave up after ${failures} failed attempts: ${error.message}` }, entry.state === 'awaiting' ? 'parkAwaiting' : 'park'),
        )
      }
      const delay = retryDelay(Math.max(entry.attempts, failures), ctx.policy.backoff, ctx.policy.random, outcome.retryAfterMs)
      return ctx.commit(() => commitRetry(ctx.db, entry.id, now, now + delay, toOutboxError(outcome.error), failures, !offline))
    }
    case 'park':
      return ctx.commit(() => commitPark(ctx.db, entry.id, now, toOutboxError(outcome.error)))
    default:
      return assertNever(outcome, 'entry outcome')
  }
}
