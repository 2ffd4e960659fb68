/**
 * Where the poller keeps the last cursor the renderer confirmed, so a restart resumes
 * there. The file names the bridge it belongs to: a cursor from another bridge is ignored
 * rather than sent where it means nothing.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { safeParseUnknown } from '../../../shared/parse'
import { isMissing, writeFileAtomic } from '../settings/secret-store'

export interface CursorStore {
  load(bridgeUrl: string): Promise<string | undefined>
  save(bridgeUrl: string, cursor: string | undefined): Promise<void>
}

const CursorFileSchema = z.object({ bridgeUrl: z.string(), cursor: z.string().optional() })

export function createFileCursorStore(path: string): CursorStore {
  return {
    async load(bridgeUrl) {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (error) {
        if (isMissing(error)) return undefined
        throw error
      }
      let json: unknown
      try {
        json = JSON.parse(text) as unknown
      } catch {
        return undefined // a torn file costs a redelivery (apply is idempotent), not a crash
      }
      const parsed = safeParseUnknown(CursorFileSchema, json)
      return parsed.ok && parsed.value.bridgeUrl === bridgeUrl ? parsed.value.cursor : undefined
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
