/**
 * The simulator's own control surface under `/__sandbox/` (the real API has none): state
 * counts, fault switches, lifecycle shortcuts, the webhook delivery log, reset and seed.
 * No auth: it binds to loopback and exists for tests and demos.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { UuidSchema } from '../../shared/schemas'
import { ADMIN_PREFIX } from './options'
import type { SandboxContext } from './context'
import { FaultsPatchSchema } from './faults'
import { validate } from './validate'

const MAX_SEED_USERS = 1_000_000
const MICROS_PER_MS = 1000

const ResetSchema = z.strictObject({
  seed: z.number().int().min(0).max(MAX_SEED_USERS).default(0),
  prngSeed: z.number().int().optional(),
})
const RejectSchema = z.strictObject({
  reason: z.string().min(1).default('rejected by the sandbox'),
  count: z.number().int().min(1).default(1),
})
const TargetSchema = z.strictObject({ user_id: UuidSchema.optional() })

export function registerAdminRoutes(app: FastifyInstance, context: SandboxContext): void {
  app.get(`${ADMIN_PREFIX}/state`, async () => ({
    users: context.users.size,
    subscriptions: context.subscriptions.list().length,
    pending_data_changes: context.lifecycle.pendingChanges,
    pending_offboardings: context.lifecycle.pendingOffboardings,
    pending_webhook_events: context.dispatcher.pending,
    in_flight_creates: context.inFlightCreates,
    verify_signatures: context.options.verifySignatures,
    // For the benchmark: server CPU per request is steadier than wall time on a shared machine.
    process_cpu_ms: Math.round((process.cpuUsage().user + process.cpuUsage().system) / MICROS_PER_MS),
    faults: context.faults.current,
  }))

  app.get(`${ADMIN_PREFIX}/faults`, async () => context.faults.current)
  app.patch(`${ADMIN_PREFIX}/faults`, async (request) => context.faults.patch(validate(FaultsPatchSchema, request.body ?? {})))
  app.delete(`${ADMIN_PREFIX}/faults`, async () => {
    context.faults.reset()
    return context.faults.current
  })

  app.get(`${ADMIN_PREFIX}/data-changes/received`, async () => ({ received: context.lifecycle.receivedChanges() }))
  app.post(`${ADMIN_PREFIX}/data-changes/reject-next`, async (request) => {
    const body = validate(RejectSchema, request.body ?? {})
    context.lifecycle.rejectNextChanges(body.reason, body.count)
    return { rejecting: body.count, reason: body.reason }
  })
  app.post(`${ADMIN_PREFIX}/data-changes/apply`, async (request) => {
    const body = validate(TargetSchema, request.body ?? {})
    const applied =
      body.user_id === undefined ? context.lifecycle.applyAllChanges() : Number(context.lifecycle.applyChange(body.user_id.toLowerCase()))
    return { applied }
  })
  app.post(`${ADMIN_PREFIX}/offboarding/complete`, async (request) => {
    const body = validate(TargetSchema, request.body ?? {})
    const completed =
      body.user_id === undefined
        ? context.lifecycle.completeAllOffboarding()
        : Number(context.lifecycle.completeOffboarding(body.user_id.toLowerCase()))
    return { completed }
  })

  app.get(`${ADMIN_PREFIX}/deliveries`, async () => ({ deliveries: context.deliveries.list() }))
  app.delete(`${ADMIN_PREFIX}/deliveries`, async (_request, reply) => {
    context.deliveries.clear()
    return reply.code(204).send()
  })

  app.post(`${ADMIN_PREFIX}/tokens/revoke`, async (_request, reply) => {
    context.auth.revokeAll()
    return reply.code(204).send()
  })

  app.post(`${ADMIN_PREFIX}/reset`, async (request) => {
    const body = validate(ResetSchema, request.body ?? {})
    context.reset(body.seed, body.prngSeed)
    return { users: context.users.size }
  })
}
