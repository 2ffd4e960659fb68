/**
 * The app's SecretStore: secrets encrypted with Electron's safeStorage (Keychain, DPAPI,
 * libsecret) in one file in the user-data folder. Where the OS offers no keychain, secrets
 * stay in memory for this run rather than landing on disk in clear text.
 */
import { safeStorage } from 'electron'
import { createEncryptedFileSecretStore, createMemorySecretStore, type SecretStore } from '../services/settings/secret-store'

export function createSafeStorageSecretStore(path: string, log: (message: string) => void): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) {
    log('secrets kept in memory only: the OS offers no keychain encryption')
    return createMemorySecretStore()
  }
  return createEncryptedFileSecretStore(path, safeStorage, 'safeStorage (OS keychain)')
}
