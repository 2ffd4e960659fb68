// A real cipher with safeStorage's shape for tests: AES-256-GCM under a random key, so a
// test can prove the journal never lands on disk in clear text and that a foreign key fails.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { JournalCipher } from '../../../../electron/services/journal/journal-store'

export function createTestCipher(key: Buffer = randomBytes(32)): JournalCipher {
  return {
    encryptString(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12))
      decipher.setAuthTag(data.subarray(12, 28))
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}
