/**
 * The API client's connection settings, from the two places they are kept: the app's stored
 * configuration (settings + secrets) and a simulator's demo client (tests, benchmarks).
 */
import type { AppConfig } from '../../settings'
import type { ApiClientConfig } from './api-client'

type Connection = Pick<ApiClientConfig, 'baseUrl' | 'clientId' | 'clientSecret' | 'keyId' | 'privateKeyPem' | 'scopes'>

/** From the stored configuration; null while a secret is missing (nothing to sign with). */
export function clientConfigFrom(config: AppConfig | null): Connection | null {
  const { settings, secrets } = config ?? {}
  if (!settings || !secrets?.clientSecret || !secrets.privateKeyPem) return null
  return {
    baseUrl: settings.apiBaseUrl,
    clientId: settings.clientId,
    clientSecret: secrets.clientSecret,
    keyId: settings.keyId,
    privateKeyPem: secrets.privateKeyPem,
    scopes: settings.scopes,
  }
}

/** A registered client as the simulator knows it (`startSandbox().devClient`). */
export interface DemoClient {
  readonly clientId: string
  readonly clientSecret: string
  readonly keyId: string
  readonly privateKeyPem: string
  readonly scopes: ApiClientConfig['scopes']
}

/** From a simulator's URL and its demo client. */
export function clientConfigForDemo(baseUrl: string, client: DemoClient): Connection {
  const { clientId, clientSecret, keyId, privateKeyPem, scopes } = client
  return { baseUrl, clientId, clientSecret, keyId, privateKeyPem, scopes }
}
