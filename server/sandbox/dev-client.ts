/**
 * The demo API client's dev config (`dev-client.json`): client id, secret, key id, scopes
 * and its private key (inline PEM or a PEM file beside the JSON). The simulator registers
 * it; tools and tests load it to sign requests the way the app does. Dev only.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { algorithmOf } from '../../shared/node/http-signature'
import { parseUnknown } from '../../shared/parse'
import { ScopeSchema, UuidSchema, type Scope } from '../../shared/schemas'

export const DEFAULT_DEV_CLIENT_PATH = resolve(dirname(fileURLToPath(import.meta.url)), 'dev-client.json')

export const DevClientFileSchema = z
  .object({
    description: z.string().optional(),
    client_id: UuidSchema,
    client_secret: z.string().min(1, 'is required'),
    key_id: z.string().min(1, 'is required'),
    scopes: z.array(ScopeSchema).min(1, 'must name at least one scope'),
    private_key_path: z.string().min(1).optional(),
    private_key_pem: z.string().includes('PRIVATE KEY', { error: 'must be a PEM private key' }).optional(),
  })
  .refine((file) => (file.private_key_path === undefined) !== (file.private_key_pem === undefined), {
    error: 'give exactly one of private_key_path and private_key_pem',
    path: ['private_key_path'],
  })
export type DevClientFile = z.infer<typeof DevClientFileSchema>

/** A registered API client: what the simulator checks and what a signer needs. */
export interface DevClient {
  readonly clientId: string
  readonly clientSecret: string
  readonly keyId: string
  readonly scopes: readonly Scope[]
  readonly privateKeyPem: string
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

export function devClientFromFile(file: DevClientFile, baseDir: string): DevClient {
  const keyPath = file.private_key_path
  const privateKeyPem =
    file.private_key_pem ?? readFileSync(keyPath !== undefined && isAbsolute(keyPath) ? keyPath : resolve(baseDir, keyPath ?? ''), 'utf8')
  const privateKey = createPrivateKey(privateKeyPem)
  // Fails early for keys the provider does not accept (only Ed25519 and P-521).
  algorithmOf(privateKey)
  return {
    clientId: file.client_id,
    clientSecret: file.client_secret,
    keyId: file.key_id,
    scopes: file.scopes,
    privateKeyPem,
    privateKey,
    publicKey: createPublicKey(privateKey),
  }
}

/** Loads and checks a dev client file; a relative `private_key_path` is read beside it. */
export function loadDevClient(path: string = DEFAULT_DEV_CLIENT_PATH): DevClient {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'))
  const file = parseUnknown(DevClientFileSchema, raw, `dev client ${path}`)
  return devClientFromFile(file, dirname(path))
}
