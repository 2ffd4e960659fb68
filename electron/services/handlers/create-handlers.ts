/**
 * The handler table: one async function per IPC contract method, taking parsed input and
 * returning the contract's output. Electron's IPC registration and the web host both serve
 * exactly this table, so only the transport differs. Handlers are thin: call a service,
 * return. Validation and error envelopes live in dispatch.ts; secrets never appear here
 * except through `toPublic`.
 */
import type { z } from 'zod'
import type { ApiError, ApiResult } from '../../../shared/api-result'
import type {
  AppInfo,
  ConnectionTest,
  ConnectivityState,
  IpcContract,
  IpcMethod,
  IpcOutput,
  SyncStatusReport,
} from '../../../shared/ipc/contract'
import type { ApiClient } from '../../../shared/node/api'
import { PROOF_FILE_PLACEHOLDER_LINK, type ProofUpload, type ProofUploaded } from '../../../shared/proof-document'
import type { ConfigService } from '../settings/config-service'
import type { JournalStore } from './journal-store'

export type HandlerInput<M extends IpcMethod> = z.infer<IpcContract[M]['input']>
export type Handler<M extends IpcMethod> = (input: HandlerInput<M>) => Promise<IpcOutput<M>>
export type Handlers = { readonly [M in IpcMethod]: Handler<M> }

export interface HandlerServices {
  /** The client for the current config; null while the app is not configured. */
  api(): ApiClient | null
  readonly config: ConfigService
  connectivity(): ConnectivityState
  /** Resolves once the confirmed cursor is stored, so a crash after the answer cannot lose it. */
  confirmFeedBatch(cursor: string): Promise<void>
  testConnection(): Promise<ConnectionTest>
  appInfo(): AppInfo
  reportSyncStatus(status: SyncStatusReport): void
  readonly journal: JournalStore
  /** A proof document to the team server's document store (the bridge), answering its link. */
  uploadProof(upload: ProofUpload): Promise<ApiResult<ProofUploaded>>
}

const UNUPLOADED_PROOF: ApiError = {
  kind: 'validation',
  status: 0,
  message: 'the proof file was not uploaded yet',
  fieldErrors: [{ field: 'data_download_link', message: 'the proof file was not uploaded yet' }],
}

const NOT_CONFIGURED: ApiError = { kind: 'not_configured', message: 'set the API address and credentials in Settings first' }

export function createHandlers(services: HandlerServices): Handlers {
  async function withApi<T>(call: (api: ApiClient) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const api = services.api()
    return api ? call(api) : { ok: false, error: NOT_CONFIGURED }
  }

  return {
    createUser: ({ body, idempotencyKey }) => withApi((api) => api.createUser(body, idempotencyKey)),
    getUser: ({ userId }) => withApi((api) => api.getUser(userId)),
    listUsers: (query) => withApi((api) => api.listUsers(query)),
    requestDataChange: ({ userId, body }) =>
      // A proof file's stand-in link means its upload was skipped: the API must never be sent it.
      'data_download_link' in body && body.data_download_link === PROOF_FILE_PLACEHOLDER_LINK
        ? Promise.resolve({ ok: false, error: UNUPLOADED_PROOF })
        : withApi((api) => api.requestDataChange(userId, body)),
    offboardUser: ({ userId }) => withApi((api) => api.offboardUser(userId)),
    getConnectivity: async () => services.connectivity(),
    confirmFeedBatch: async ({ cursor }) => {
      await services.confirmFeedBatch(cursor)
      return null
    },
    getSettings: async () => services.config.publicSettings(),
    saveSettings: (update) => services.config.save(update),
    testConnection: () => services.testConnection(),
    getAppInfo: async () => services.appInfo(),
    reportSyncStatus: async (status) => {
      services.reportSyncStatus(status)
      return null
    },
    writeJournal: async ({ database, entries }) => {
      await services.journal.write(database, entries)
      return null
    },
    readJournal: async ({ database }) => ({ entries: await services.journal.read(database) }),
    uploadProofDocument: (upload) => services.uploadProof(upload),
  }
}
