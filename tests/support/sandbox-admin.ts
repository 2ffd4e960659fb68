/**
 * Typed helpers for the simulator's admin (`/__sandbox/`): the back office as a second
 * actor (deactivate, reactivate, change, offboard) and the lifecycle shortcuts. Every
 * call sends a JSON body with `content-type: application/json`; non-2xx answers throw.
 */
import type { z } from 'zod'
import type { BackOfficeChangeSchema } from '../../server/sandbox/routes-back-office'
import { ProblemSchema, UserSchema, type User } from '../../shared/schemas'

export type BackOfficeChange = z.input<typeof BackOfficeChangeSchema>

/** A non-2xx admin answer: its status and the problem's `detail`. */
export class SandboxAdminError extends Error {
  override readonly name = 'SandboxAdminError'
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`sandbox admin: ${status} ${detail}`)
  }
}

export interface SandboxAdmin {
  /** ACTIVE -> INACTIVE, USER.DEACTIVATED. */
  deactivate(userId: string): Promise<User>
  /** INACTIVE -> ACTIVE, USER.ACTIVATED. */
  reactivate(userId: string): Promise<User>
  /** The back office sets fields at once: `updated_at` moves, USER.DATA_CHANGED. */
  backOfficeChange(userId: string, fields: BackOfficeChange): Promise<User>
  /** The back office offboards: OFFBOARDING now (OFFBOARDED after the delay), or OFFBOARDED at once. */
  backOfficeOffboard(userId: string, options?: { readonly immediately?: boolean }): Promise<User>
  /** Applies pending data changes now (one user's, or all); how many. */
  applyDataChanges(userId?: string): Promise<number>
}

export function createSandboxAdmin(baseUrl: string): SandboxAdmin {
  const post = async (path: string, body: object): Promise<unknown> => {
    const response = await fetch(`${baseUrl}/__sandbox${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    const json = text === '' ? undefined : (JSON.parse(text) as unknown)
    if (!response.ok) throw new SandboxAdminError(response.status, ProblemSchema.safeParse(json).data?.detail ?? text)
    return json
  }
  const user = (id: string) => `/back-office/users/${encodeURIComponent(id)}`
  return {
    deactivate: async (userId) => UserSchema.parse(await post(`${user(userId)}/deactivate`, {})),
    reactivate: async (userId) => UserSchema.parse(await post(`${user(userId)}/reactivate`, {})),
    backOfficeChange: async (userId, fields) => UserSchema.parse(await post(`${user(userId)}/change`, fields)),
    backOfficeOffboard: async (userId, options = {}) =>
      UserSchema.parse(await post(`${user(userId)}/offboard`, { immediately: options.immediately ?? false })),
    async applyDataChanges(userId) {
      const answer = (await post('/data-changes/apply', userId === undefined ? {} : { user_id: userId })) as { applied?: unknown }
      if (typeof answer.applied !== 'number') throw new Error('sandbox admin: data-changes/apply answered without a count')
      return answer.applied
    },
  }
}
