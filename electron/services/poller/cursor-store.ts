/**
 * Where the poller keeps the last cursor the renderer confirmed, so a restart resumes
 * there. The file names the bridge it belongs to: a cursor from another bridge is ignored
 * rather than sent where it means nothing.
 */
import { z } from 'zod'
import { FileReadError, readJsonFile, writeFileAtomic } from '../files'

export interface CursorStore {
  load(bridgeUrl: string): Promise<string | undefined>
  save(bridgeUrl: string, cursor: string | undefined): Promise<void>
}

const CursorFileSchema = z.object({ bridgeUrl: z.string(), cursor: z.string().optional() })

export function createFileCursorStore(path: string): CursorStore {
  return {
    async load(bridgeUrl) {
      try {
        const read = await readJsonFile(path, CursorFileSchema)
        return read.kind === 'ok' && read.value.bridgeUrl === bridgeUrl ? read.value.cursor : undefined
      } catch (error) {
        // A torn or foreign file costs a redelivery (apply is idempotent), not a crash; a disk that refuses to read is reported.
        if (error instanceof FileReadError && error.problem !== 'unreadable') return undefined
        throw error
      }
    },
    async save(bridgeUrl, cursor) {
      await writeFileAtomic(path, JSON.stringify({ bridgeUrl, cursor }))
    },
  }
}

export function createMemoryCursorStore(): CursorStore & { saved: Array<string | undefined> } {
  const cursors = new Map<string, string | undefined>()
  const saved: Array<string | undefined> = []
  return {
    saved,
    load: async (bridgeUrl) => cursors.get(bridgeUrl),
    save: async (bridgeUrl, cursor) => {
      cursors.set(bridgeUrl, cursor)
      saved.push(cursor)
    },
  }
}
