/**
 * Where secrets (client secret, private key, bridge token) live, behind one small
 * interface: Electron encrypts them with safeStorage (electron/main/safe-storage-secrets.ts,
 * built on `createEncryptedFileSecretStore`), Node tools and the web host use a plain or
 * in-memory store. Nothing here logs a secret or hands it to the renderer.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { parseUnknown } from '../../../shared/parse'
import { SecretsSchema, type Secrets } from '../../../shared/settings'

export interface SecretStore {
  load(): Promise<Secrets>
  save(secrets: Secrets): Promise<void>
  /** Says where/how secrets are kept, for logs and the settings page; never the secrets. */
  readonly description: string
}

/** Encrypts a string to bytes and back (Electron's safeStorage has exactly this shape). */
export interface StringCipher {
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
}

export function createMemorySecretStore(initial: Secrets = {}): SecretStore {
  let secrets: Secrets = { ...initial }
  return {
    description: 'memory (not persisted)',
    load: async () => ({ ...secrets }),
    save: async (next) => {
      secrets = { ...next }
    },
  }
}

/** Secrets as a JSON file readable only by this OS user: for the web host and tools, where no keychain exists. */
export function createPlainFileSecretStore(path: string): SecretStore {
  return createEncryptedFileSecretStore(
    path,
    { encryptString: (plain) => Buffer.from(plain, 'utf8'), decryptString: (bytes) => bytes.toString('utf8') },
    'plain file',
  )
}

export function createEncryptedFileSecretStore(path: string, cipher: StringCipher, description = 'encrypted file'): SecretStore {
  return {
    description,
    async load() {
      let bytes: Buffer
      try {
        bytes = await readFile(path)
      } catch (error) {
        if (isMissing(error)) return {}
        throw error
      }
      let json: unknown
      try {
        json = JSON.parse(cipher.decryptString(bytes)) as unknown
      } catch {
        // Never echo the content: it is a secret, even when it is corrupt.
        throw new Error(`secret store ${path} cannot be read (corrupt or encrypted by another user/machine)`)
      }
      return parseUnknown(SecretsSchema, json, `secret store ${path}`)
    },
    async save(secrets) {
      await writeFileAtomic(path, cipher.encryptString(JSON.stringify(parseUnknown(SecretsSchema, secrets, 'secrets'))))
    },
  }
}

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  // Owner-only: these files hold credentials or state another OS user has no business reading.
  await writeFile(temporary, data, { mode: 0o600 })
  await rename(temporary, path)
}

export function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT'
}
