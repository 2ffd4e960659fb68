/**
 * The IPC method and event names as plain strings, without zod, for the sandboxed preload
 * (which cannot load modules and should carry no schemas). The type checks below keep these
 * lists equal to the keys of `ipcContract` / `ipcEvents`: a new method breaks the build here.
 */
import type { IpcEventName, IpcMethod } from './contract'

export const METHOD_NAMES = [
  'createUser',
  'getUser',
  'listUsers',
  'requestDataChange',
  'offboardUser',
  'getConnectivity',
  'confirmFeedBatch',
  'getSettings',
  'saveSettings',
  'testConnection',
  'getAppInfo',
  'reportSyncStatus',
  'writeJournal',
  'readJournal',
  'uploadProofDocument',
] as const satisfies readonly IpcMethod[]

export const EVENT_NAMES = [
  'feedBatch',
  'reconcileRequired',
  'connectivityChanged',
  'syncRequested',
  'liveUpdates',
] as const satisfies readonly IpcEventName[]

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> }
export const METHOD_NAMES_COMPLETE: Missing<IpcMethod, (typeof METHOD_NAMES)[number]> = true
export const EVENT_NAMES_COMPLETE: Missing<IpcEventName, (typeof EVENT_NAMES)[number]> = true

/** Same wire names as contract.ts (`methodChannel`, `eventChannel`). */
export const methodChannelName = (method: IpcMethod) => `outpost:${method}` as const
export const eventChannelName = (event: IpcEventName) => `outpost:event:${event}` as const
