/**
 * Replaces a file so a reader (or the next start after a crash or power cut) sees either
 * the old content or the new, never a torn mix: write a uniquely named temporary sibling,
 * flush it, rename it over the target, flush the directory. Kept out: what the bytes mean.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { errorCode } from './missing'

/** Owner-only: these files hold credentials, personal data or state no other OS user should read. */
const OWNER_ONLY = 0o600

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const directory = dirname(path)
  await mkdir(directory, { recursive: true })
  // A unique name: two writers (even in one process) never share a temporary file.
  const temporary = `${path}.${randomUUID()}.tmp`
  try {
    const handle = await open(temporary, 'wx', OWNER_ONLY)
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
  await syncDirectory(directory)
}

/** Without it a power cut can undo the rename: the directory entry is data of its own. */
async function syncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory for flushing; NTFS journals the rename itself.
  if (process.platform === 'win32') return
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (error) {
    // Some file systems and folder permissions refuse to flush a directory: the rename still stands.
    if (!DIRECTORY_SYNC_UNSUPPORTED.has(errorCode(error))) throw error
  }
}

const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EACCES'])
