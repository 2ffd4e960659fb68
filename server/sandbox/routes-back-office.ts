/**
 * The back office as a second actor under `/__sandbox/back-office/`: it deactivates,
 * reactivates, changes and offboards users directly, the way the provider's own staff
 * would, with the events the provider sends. Rules live in `lifecycle.ts`.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { EmailSchema, FlatDataChangeSchema, PhoneNumberSchema } from '../../shared/schemas'
import type { SandboxContext } from './context'
import { uuidParam } from './http-helpers'
import { ADMIN_PREFIX } from './options'
import { validate } from './validate'

const USER_PATH = `${ADMIN_PREFIX}/back-office/users/:user_id`

/** Any user field a person may edit, with the API's own field rules; at least one. */
export const BackOfficeChangeSchema = z
  .strictObject({ ...FlatDataChangeSchema.shape, email: EmailSchema.optional(), phone_number: PhoneNumberSchema.optional() })
  .refine((value) => Object.values(value).some((field) => field !== undefined), 'must change at least one field')

export const BackOfficeOffboardSchema = z.strictObject({
  /** OFFBOARDED at once (both events) instead of after the configured delay. */
  immediately: z.boolean().default(false),
})

const NoBodySchema = z.strictObject({})

function userId(params: unknown): string {
  return uuidParam((params as Record<string, unknown>).user_id, 'user_id')
}

export function registerBackOfficeRoutes(app: FastifyInstance, context: SandboxContext): void {
  app.post(`${USER_PATH}/deactivate`, async (request) => {
    validate(NoBodySchema, request.body ?? {})
    return context.lifecycle.deactivate(userId(request.params))
  })
  app.post(`${USER_PATH}/reactivate`, async (request) => {
    validate(NoBodySchema, request.body ?? {})
    return context.lifecycle.reactivate(userId(request.params))
  })
  app.post(`${USER_PATH}/change`, async (request) => {
    const id = userId(request.params)
    return context.lifecycle.backOfficeChange(id, validate(BackOfficeChangeSchema, request.body ?? {}))
  })
  app.post(`${USER_PATH}/offboard`, async (request) => {
    const id = userId(request.params)
    const body = validate(BackOfficeOffboardSchema, request.body ?? {})
    return context.lifecycle.backOfficeOffboard(id, body.immediately)
  })
}
