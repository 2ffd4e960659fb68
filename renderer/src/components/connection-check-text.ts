/**
 * The line "Test connection" shows for one service, in the person's language: main reports
 * what happened (connection-test facts); the answer's own text is shown as written.
 */
import { assertNever } from '../../../shared/assert-never'
import type { ConnectionCheck } from '../../../shared/ipc/contract'

export interface CheckText {
  readonly key: string
  readonly values: Readonly<Record<string, string>>
}

export function connectionCheckText(service: 'api' | 'bridge', check: ConnectionCheck, formatCount: (n: number) => string): CheckText {
  const key = (name: string) => `settings.checks.${service}.${name}`
  const detail = check.detail ?? ''
  switch (check.outcome) {
    case 'connected':
      return { key: key('connected'), values: { users: formatCount(check.users ?? 0) } }
    case 'not_configured':
      return { key: key('notConfigured'), values: {} }
    case 'rejected':
      return { key: key('rejected'), values: { detail } }
    case 'unreachable':
      return { key: key('unreachable'), values: { detail } }
    case 'error':
      return { key: key('error'), values: { detail } }
    case 'app_service':
      return { key: key('appService'), values: { detail } }
    default:
      return assertNever(check.outcome, 'connection outcome')
  }
}
