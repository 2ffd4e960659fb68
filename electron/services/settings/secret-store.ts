/**
 * Where secrets (client secret, private key, bridge token) live, behind one small
 * interface: Electron encrypts them with safeStorage (electron/main/safe-storage-secrets.ts,
 * built on `createEncryptedFileSecretStore`), Node tools and the web host use a plain or
 * in-memory store. Nothing here logs a secret or hands it to the renderer.
 */
import { parseStrict } from '../../../shared/parse'
import { SecretsSchema, type Secrets } from '../../../shared/settings'
import { readJsonFile, writeFileAtomic } from '../files'

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
      const read = await readJsonFile(path, SecretsSchema, {
        label: `secret store ${path}`,
        decode: (bytes) => cipher.decryptString(bytes),
      })
      return read.kind === 'ok' ? read.value : {}
    },
    async save(secrets) {
      await writeFileAtomic(path, cipher.encryptString(JSON.stringify(parseStrict(SecretsSchema, secrets, 'secrets'))))
    },
  }
}
