/**
 * Replaces a file so a reader (or the next start after a crash or power cut) sees either
 * the old content or the new, never a torn mix: write a temporary sibling, flush it to
 * disk, rename it over the target. Kept out: what the bytes mean.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

export async function writeFileAtomic(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  // A unique name: two writers never share a temporary file.
  const temporary = `${path}.${randomUUID()}.tmp`
  try {
    // Owner-only: the journal holds personal data of the people being onboarded.
    const handle = await open(temporary, 'wx', 0o600)
    try {
      await handle.writeFile(data)
      // Without the flush a rename can reach the disk before the data does.
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
