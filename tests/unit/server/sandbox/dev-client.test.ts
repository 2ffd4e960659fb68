import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateSigningKeyPair, signRequest, verifyRequest } from '../../../../shared/node/http-signature'
import { loadDevClient } from '../../../../server/sandbox/dev-client'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function writeClient(content: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-dev-client-'))
  dirs.push(dir)
  const path = join(dir, 'client.json')
  await writeFile(path, JSON.stringify(content))
  return path
}

const base = { client_id: '408dace2-f80d-4cf1-b3cf-df7699c685c2', client_secret: 's', key_id: 'k', scopes: ['users:read'] }

describe('loadDevClient', () => {
  it('loads the committed demo client and its key beside it', () => {
    const client = loadDevClient()
    expect(client.scopes).toEqual(['users:read', 'users:admin', 'webhooks:read', 'webhooks:admin'])
    const headers = { 'upvest-client-id': client.clientId }
    const signed = signRequest({ method: 'GET', url: '/users', headers, keyId: client.keyId, privateKey: client.privateKey })
    expect(
      verifyRequest({ method: 'GET', url: '/users', headers: { ...headers, ...signed }, publicKeyFor: () => client.publicKey }).ok,
    ).toBe(true)
  })

  it('accepts an inline P-521 PEM', async () => {
    const pem = generateSigningKeyPair('p521').privateKeyPem
    const client = loadDevClient(await writeClient({ ...base, private_key_pem: pem }))
    expect(client.privateKeyPem).toBe(pem)
  })

  it('names what is wrong with a bad file', async () => {
    const both = await writeClient({ ...base, private_key_pem: generateSigningKeyPair('ed25519').privateKeyPem, private_key_path: 'x.pem' })
    expect(() => loadDevClient(both)).toThrow(/private_key_path: give exactly one/)
    const badId = await writeClient({ ...base, client_id: 'nope', private_key_path: 'x.pem' })
    expect(() => loadDevClient(badId)).toThrow(/client_id: must be a UUID/)
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const p256File = await writeClient({ ...base, private_key_pem: p256 })
    expect(() => loadDevClient(p256File)).toThrow(/unsupported signing key/)
  })
})
