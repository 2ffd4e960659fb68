/**
 * The Electron app's runtime: the shared services with their files in the user-data
 * folder, secrets through safeStorage, and — in development only — the dev fallback
 * (OUTPOST_DEV_CONFIG or the local simulator and bridge) while no settings file exists.
 */
import { app } from 'electron'
import { join } from 'node:path'
import type { SyncStatusReport } from '../../shared/ipc/contract'
import type { JournalStore } from '../services/handlers/journal-store'
import { createFileCursorStore } from '../services/poller/cursor-store'
import { createAppRuntime, type AppRuntime } from '../services/runtime/app-runtime'
import type { PushSink } from '../services/runtime/push'
import { createConfigService } from '../services/settings/config-service'
import { resolveDevFallback } from '../services/settings/dev-config'
import { createSettingsFile } from '../services/settings/settings-file'
import { createSafeStorageSecretStore } from './safe-storage-secrets'

export interface ElectronRuntimeOptions {
  readonly push: PushSink
  readonly journal: JournalStore
  readonly onSyncStatus: (status: SyncStatusReport) => void
  readonly log: (message: string) => void
}

export async function createElectronRuntime(options: ElectronRuntimeOptions): Promise<AppRuntime> {
  const userData = app.getPath('userData')
  const config = createConfigService({
    settingsFile: createSettingsFile(join(userData, 'settings.json')),
    secretStore: createSafeStorageSecretStore(join(userData, 'secrets.bin'), options.log),
    fallback: app.isPackaged ? null : safeFallback(options.log),
  })
  try {
    await config.load()
  } catch (error) {
    // A broken settings file must not stop the app: it starts unconfigured and says why.
    options.log(`settings not loaded: ${error instanceof Error ? error.message : String(error)}`)
  }
  options.log(`configuration: ${config.source()}`)
  return createAppRuntime({
    config,
    cursorStore: createFileCursorStore(join(userData, 'feed-cursor.json')),
    push: options.push,
    appInfo: { version: app.getVersion(), platform: process.platform, transport: 'electron' },
    journal: options.journal,
    log: options.log,
    onSyncStatus: options.onSyncStatus,
  })
}

function safeFallback(log: (message: string) => void) {
  try {
    return resolveDevFallback()
  } catch (error) {
    log(`dev config not used: ${error instanceof Error ? error.message : String(error)}`)
    return null
  }
}
