/**
 * The line "Test connection" shows for one service, in the person's language: main reports
 * what happened (connection-test facts); the answer's own text is shown as written.
 */
import type { ConnectionCheck } from '../../../shared/ipc/contract'

export interface CheckText {
  readonly key: string
  readonly values: Readonly<Record<string, string>>
}

/** The message of each outcome, under settings.checks.<service>. */
const MESSAGE: Readonly<Record<ConnectionCheck['outcome'], string>> = {
  connected: 'connected',
  not_configured: 'notConfigured',
  rejected: 'rejected',
  unreachable: 'unreachable',
  error: 'error',
  app_service: 'appService',
}

export function connectionCheckText(service: 'api' | 'bridge', check: ConnectionCheck, formatCount: (n: number) => string): CheckText {
  return {
    key: `settings.checks.${service}.${MESSAGE[check.outcome]}`,
    values: { users: formatCount(check.users ?? 0), detail: check.detail ?? '' },
  }
}
