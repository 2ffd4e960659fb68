/**
 * The one owner of the `proofFiles` table: the proof document a queued data change carries
 * (a scan or photo), stored with its entry so it survives going offline, a restart or a
 * crash. Kept until the entry is gone (applied, discarded, withdrawn), then removed.
 */
import { liveQuery } from 'dexie'
import type { OutpostDb } from './database'
import type { ProofFileRow } from './rows'

export type NewProofFile = Omit<ProofFileRow, 'entryId' | 'uploadedLink' | 'addedAt'>

/** Inside the enqueue transaction: the file lands together with its entry, or not at all. */
export async function addProofFile(db: OutpostDb, entryId: string, file: NewProofFile, now: number): Promise<void> {
  await db.proofFiles.add({ entryId, name: file.name, contentType: file.contentType, bytes: file.bytes, addedAt: now })
}

export async function getProofFile(db: OutpostDb, entryId: string): Promise<ProofFileRow | undefined> {
  return db.proofFiles.get(entryId)
}

/** What the outbox and the form show of a proof file: name, type and size, without the bytes. */
export interface ProofFileInfo {
  readonly name: string
  readonly contentType: string
  readonly size: number
  readonly uploaded: boolean
}

const infoOf = (row: ProofFileRow): ProofFileInfo => ({
  name: row.name,
  contentType: row.contentType,
  size: row.bytes.length,
  uploaded: row.uploadedLink !== undefined,
})

export async function getProofFileInfo(db: OutpostDb, entryId: string): Promise<ProofFileInfo | undefined> {
  const row = await db.proofFiles.get(entryId)
  return row === undefined ? undefined : infoOf(row)
}

/** Every stored proof file by its entry (the outbox screen); few entries carry one. */
export async function listProofFileInfo(db: OutpostDb): Promise<ReadonlyMap<string, ProofFileInfo>> {
  const rows = await db.proofFiles.toArray()
  return new Map(rows.map((row) => [row.entryId, infoOf(row)]))
}

/** The document store has the file: its link is kept so a resend after a crash does not upload again. */
export async function recordUploadedLink(db: OutpostDb, entryId: string, link: string): Promise<void> {
  await db.proofFiles.update(entryId, { uploadedLink: link })
}

/** Removes the files whose entry no longer exists. */
export async function pruneProofFiles(db: OutpostDb): Promise<number> {
  return db.transaction('rw', [db.proofFiles, db.outbox], async () => {
    const ids = (await db.proofFiles.toCollection().primaryKeys()) as string[]
    const orphans: string[] = []
    for (const id of ids) if ((await db.outbox.where('id').equals(id).count()) === 0) orphans.push(id)
    await db.proofFiles.bulkDelete(orphans)
    return orphans.length
  })
}

/**
 * Removes a file as soon as its entry is gone, whichever way it went. The watch reads only
 * the outbox ids that have a file, so it wakes for those entries alone (not on every send).
 */
export function keepProofFiles(db: OutpostDb, log: (message: string, error: unknown) => void = console.warn): () => void {
  const subscription = liveQuery(async () => {
    const ids = (await db.proofFiles.toCollection().primaryKeys()) as string[]
    const present = ids.length === 0 ? [] : await db.outbox.where('id').anyOf(ids).primaryKeys()
    return ids.length - present.length
  }).subscribe({
    next: (orphans) => {
      if (orphans > 0) pruneProofFiles(db).catch((error: unknown) => log('proof files: not pruned, retried at the next change', error))
    },
    error: (error: unknown) => log('proof files: watch failed', error),
  })
  return () => subscription.unsubscribe()
}
