/**
 * Errors as the provider answers them: `application/problem+json` with `type`, `status`,
 * `title`, `detail` (naming the field for validation errors), `instance` and `request_id`.
 * Route code throws `ApiProblem`; one error handler renders it.
 */
import type { FieldIssue } from '../../shared/parse'
import type { Problem } from '../../shared/schemas'

const TITLES: Readonly<Record<number, readonly [type: string, title: string]>> = {
  400: ['bad_request', 'Bad Request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not_found', 'Not Found'],
  405: ['method_not_allowed', 'Method Not Allowed'],
  406: ['not_acceptable', 'Not Acceptable'],
  409: ['conflict', 'Conflict'],
  413: ['payload_too_large', 'Payload Too Large'],
  415: ['unsupported_media_type', 'Unsupported Media Type'],
  422: ['unprocessable_entity', 'Unprocessable Entity'],
  429: ['too_many_requests', 'Too Many Requests'],
  500: ['internal_server_error', 'Internal Server Error'],
  503: ['service_unavailable', 'Service Unavailable'],
}

export class ApiProblem extends Error {
  override readonly name = 'ApiProblem'
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail)
  }
}

/** `address.postcode: must be ...; first_name: must be ...` — field paths a person can find. */
export function validationProblem(issues: readonly FieldIssue[], prefix = ''): ApiProblem {
  const detail = issues.map((issue) => `${prefix}${issue.path || '(body)'}: ${issue.message}`).join('; ')
  return new ApiProblem(400, detail)
}

export function problemBody(status: number, detail: string, instance: string, requestId: string): Problem {
  const [type, title] = TITLES[status] ?? [status >= 500 ? 'internal_server_error' : 'bad_request', 'Error']
  return { type, status, title, detail, instance, request_id: requestId }
}
