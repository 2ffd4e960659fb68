// Real IndexedDB semantics in Node for Dexie (this file runs in the `node` project).
import 'fake-indexeddb/auto'
/**
 * A data change whose proof is a file on this device: the engine uploads it through main's
 * upload service to the real bridge's document store, sends the change with the link the
 * bridge answered (served with the same bytes), records the link before the send so a
 * restart does not upload twice, retries an upload that found no network without counting
 * it, and drops the stored file once the entry is finished.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutpostDb } from '../../../renderer/src/db/database'
import { enqueueCreate, enqueueDataChange } from '../../../renderer/src/db/outbox-repository'
import { keepProofFiles, recordUploadedLink } from '../../../renderer/src/db/proof-files'
import type { SyncEngine } from '../../../renderer/src/sync/engine'
import type { SyncTransport } from '../../../renderer/src/sync/transport'
import { startBridge, type RunningBridge } from '../../../server/bridge'
import { uploadProof } from '../../../electron/services/documents/upload-proof'
import { PROOF_FILE_PLACEHOLDER_LINK } from '../../../shared/proof-document'
import type { DataChange } from '../../../shared/schemas/data-change'
import { pumpFeed, startEngine } from '../../support/sync/engine-harness'
import { createBody, freshDb, waitUntil } from '../../support/sync/fixtures'
import { startSyncWorld, type SyncWorld } from './harness'

let world: SyncWorld
let bridge: RunningBridge
let bridgeDir: string
let db: OutpostDb
let uploads = 0
let uploadOnline = true
const engines: SyncEngine[] = []
const cleanups: Array<() => void | Promise<void>> = []
let n = 0

// A tiny valid PNG header and some bytes: what the bridge recognises as a PNG.
const PHOTO = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 2048 }, (_, i) => i % 251)])

beforeAll(async () => {
  world = await startSyncWorld()
  bridgeDir = await mkdtemp(join(tmpdir(), 'outpost-proof-bridge-'))
  bridge = await startBridge({
    dataDir: bridgeDir,
    apiUrl: world.sandbox.url,
    apiCredentials: world.sandbox.devClient,
    bootstrap: true,
    logLevel: 'silent',
  })
})
afterAll(async () => {
  await bridge?.close()
  await world?.close()
  await rm(bridgeDir, { recursive: true, force: true })
})
beforeEach(() => {
  db = freshDb('proof-upload')
  uploads = 0
  uploadOnline = true
  n += 1
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
  await Promise.all(engines.splice(0).map((e) => e.stop()))
  db.close()
})

/** The sandbox transport plus main's real upload service against the real bridge. */
function transport(): SyncTransport {
  return {
    ...world.transport,
    uploadProofDocument: async ({ contentType, dataBase64 }) => {
      if (!uploadOnline) return { ok: false, error: { kind: 'transient', reason: 'network', message: 'offline (test switch)' } }
      uploads += 1
      return uploadProof({
        bridgeUrl: bridge.url,
        token: bridge.clientToken,
        contentType,
        bytes: new Uint8Array(Buffer.from(dataBase64, 'base64')),
      })
    },
  }
}

function run(): SyncEngine {
  const engine = startEngine(db, transport(), { awaitTimeoutMs: 5_000 })
  engines.push(engine)
  cleanups.push(pumpFeed(engine, () => world.takeFeedBatch()))
  cleanups.push(keepProofFiles(db))
  return engine
}

const withAttachedFile = (last: string): DataChange => ({
  kind: 'name',
  body: {
    first_name: 'Filed',
    last_name: last,
    issuance_date: '2024-01-02',
    data_download_link: PROOF_FILE_PLACEHOLDER_LINK,
    document_type: 'PASSPORT',
  },
})

async function serverUserId(): Promise<string> {
  const body = createBody(9000 + n)
  await enqueueCreate(body, db)
  await waitUntil(async () => (await db.outbox.count()) === 0, 20_000, 'created')
  const row = await db.users.filter((r) => r.user?.first_name === body.first_name && r.user.last_name === body.last_name).first()
  if (row?.serverId === undefined || row.serverId === null) throw new Error('the created user has no server id')
  return row.serverId
}

async function receivedLinkFor(userId: string): Promise<string | undefined> {
  const answer = (await world.admin('GET', '/data-changes/received')) as { received: { userId: string; body: Record<string, unknown> }[] }
  const body = answer.received.filter((r) => r.userId === userId).at(-1)?.body
  return typeof body?.data_download_link === 'string' ? body.data_download_link : undefined
}

describe('proof files', { timeout: 90_000 }, () => {
  it('are uploaded to the bridge, and the API gets a link that serves the same bytes', async () => {
    run()
    const userId = await serverUserId()
    await enqueueDataChange(userId, withAttachedFile(`Proof${n}`), db, Date.now(), {
      name: 'passport.png',
      contentType: 'image/png',
      bytes: PHOTO,
    })
    expect(await db.proofFiles.count()).toBe(1)
    await waitUntil(async () => (await receivedLinkFor(userId)) !== undefined, 20_000, 'change received')
    const link = (await receivedLinkFor(userId))!
    expect(link).not.toBe(PROOF_FILE_PLACEHOLDER_LINK)
    expect(link.startsWith(bridge.url)).toBe(true)
    const served = await fetch(link)
    expect(served.status).toBe(200)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PHOTO)
    expect(uploads).toBe(1)
    // Once the change is confirmed the entry is gone, and its file with it.
    await waitUntil(async () => (await db.outbox.count()) === 0 && (await db.proofFiles.count()) === 0, 20_000, 'file removed')
  })

  it('wait for the network without counting a failure, then go', async () => {
    run()
    const userId = await serverUserId()
    uploadOnline = false
    const { entryId } = await enqueueDataChange(userId, withAttachedFile(`Later${n}`), db, Date.now(), {
      name: 'id.png',
      contentType: 'image/png',
      bytes: PHOTO,
    })
    await waitUntil(
      async () => (await db.outbox.get({ id: entryId }))?.lastError?.message === 'offline (test switch)',
      20_000,
      'retry noted',
    )
    const waiting = await db.outbox.get({ id: entryId })
    expect(waiting?.failures ?? 0).toBe(0)
    expect(waiting?.attempts).toBe(0)
    expect(await receivedLinkFor(userId)).toBeUndefined()
    uploadOnline = true
    await waitUntil(async () => (await receivedLinkFor(userId)) !== undefined, 30_000, 'sent after the network came back')
  })

  it('are not uploaded again when the link was recorded before a restart', async () => {
    const userId = await (async () => {
      run()
      const id = await serverUserId()
      await Promise.all(engines.splice(0).map((e) => e.stop()))
      return id
    })()
    const { entryId } = await enqueueDataChange(userId, withAttachedFile(`Once${n}`), db, Date.now(), {
      name: 'id.png',
      contentType: 'image/png',
      bytes: PHOTO,
    })
    const earlier = await uploadProof({ bridgeUrl: bridge.url, token: bridge.clientToken, contentType: 'image/png', bytes: PHOTO })
    if (!earlier.ok) throw new Error(earlier.error.message)
    // As if the app stopped between the upload and the send.
    await recordUploadedLink(db, entryId, earlier.value.url)
    run()
    await waitUntil(async () => (await receivedLinkFor(userId)) !== undefined, 20_000, 'change received')
    expect(await receivedLinkFor(userId)).toBe(earlier.value.url)
    expect(uploads).toBe(0)
  })
})

describe('main upload service', () => {
  it('says why an upload failed: a refused token needs the person, an unreachable server is retried', async () => {
    const refused = await uploadProof({ bridgeUrl: bridge.url, token: 'not-the-token', contentType: 'image/png', bytes: PHOTO })
    expect(refused).toMatchObject({ ok: false, error: { kind: 'validation', status: 401 } })
    const unreachable = await uploadProof({
      bridgeUrl: 'http://127.0.0.1:9',
      token: bridge.clientToken,
      contentType: 'image/png',
      bytes: PHOTO,
    })
    expect(unreachable).toMatchObject({ ok: false, error: { kind: 'transient', reason: 'network' } })
    // Bytes that are not what they claim never leave the machine.
    const text = new Uint8Array(Buffer.from('not a picture'))
    expect(await uploadProof({ bridgeUrl: bridge.url, token: bridge.clientToken, contentType: 'image/png', bytes: text })).toMatchObject({
      ok: false,
      error: { kind: 'validation', status: 415 },
    })
  })
})
