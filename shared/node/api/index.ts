/**
 * The Users API client (see api-client.ts). Import from here; the other files are its parts:
 * http.ts (signed send with a hard deadline), token-provider.ts, map-response.ts,
 * parse-retry-after.ts, field-errors.ts, sign.ts (seam to the http-signature module).
 */
export { API_VERSION, DEFAULT_API_TIMEOUT_MS, PROBE_TIMEOUT_MS, createApiClient } from './api-client'
export type { ApiClient, ApiClientConfig, ApiClientEvent } from './api-client'
export { clientConfigForDemo, clientConfigFrom } from './client-config'
export { parseRetryAfter } from './parse-retry-after'
export { fieldErrorsFromDetail } from './field-errors'
export type { RequestSigner, SignableRequest } from './sign'
