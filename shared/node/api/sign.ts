/**
 * The seam between the API client and engineer A's HTTP message signature module:
 * a `RequestSigner` takes the request as it will be sent and returns the headers to add
 * (`signature`, `signature-input`, `upvest-signature-version`, `content-digest`).
 * The client never builds signatures itself.
 */
import { signRequest, toPrivateKey } from '../http-signature'

export interface SignableRequest {
  readonly method: string
  /** Absolute URL including the query string. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

export type RequestSigner = (request: SignableRequest) => Record<string, string>

export interface SigningKey {
  readonly keyId: string
  readonly privateKeyPem: string
}

export function createRequestSigner(key: SigningKey): RequestSigner {
  // Imported once: a PEM that does not parse fails here, at configuration, not mid-sync.
  const privateKey = toPrivateKey(key.privateKeyPem)
  return (request) => ({ ...signRequest({ ...request, keyId: key.keyId, privateKey }) })
}
