import { describe, expect, it } from 'vitest'
import { clientConfigFrom } from '../../../../../shared/node/api'
import { SettingsSchema } from '../../../../../shared/settings'

const settings = SettingsSchema.parse({
  apiBaseUrl: 'https://sandbox.example.com',
  clientId: '11111111-1111-4111-8111-111111111111',
  keyId: 'key-1',
})
const secrets = { clientSecret: 's3cret', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' }

describe('clientConfigFrom', () => {
  it('maps the stored settings and secrets onto the API client', () => {
    expect(clientConfigFrom({ settings, secrets })).toEqual({
      baseUrl: 'https://sandbox.example.com',
      clientId: settings.clientId,
      clientSecret: 's3cret',
      keyId: 'key-1',
      privateKeyPem: secrets.privateKeyPem,
      scopes: settings.scopes,
    })
  })

  it('gives nothing to sign with while either secret or the whole configuration is missing', () => {
    expect(clientConfigFrom(null)).toBeNull()
    expect(clientConfigFrom({ settings, secrets: { clientSecret: 's3cret' } })).toBeNull()
    expect(clientConfigFrom({ settings, secrets: { privateKeyPem: secrets.privateKeyPem } })).toBeNull()
  })
})
