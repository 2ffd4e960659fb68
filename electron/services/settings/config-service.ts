/**
 * The app's current configuration: settings from the settings file (or the dev fallback
 * while there is none) plus secrets from the SecretStore. The renderer only ever sees
 * `publicSettings()` (secrets reduced to "is set" flags); saving merges newly typed
 * secrets over the kept ones and tells listeners, so the API client and poller rebuild.
 */
import type { PublicSettings, Secrets, SettingsUpdate } from '../../../shared/settings'
import type { AppConfig } from './dev-config'
import type { SecretStore } from './secret-store'
import type { SettingsFile } from './settings-file'

export interface ConfigService {
  /** Reads the file and the secrets; throws with the bad field named. */
  load(): Promise<void>
  current(): AppConfig | null
  publicSettings(): PublicSettings
  save(update: SettingsUpdate): Promise<PublicSettings>
  onChange(listener: (config: AppConfig | null) => void): () => void
  /** Where the config came from, for the log line at start (never secrets). */
  source(): 'file' | 'dev-fallback' | 'none'
}

export interface ConfigServiceOptions {
  readonly settingsFile: SettingsFile
  readonly secretStore: SecretStore
  /** Used while no settings file exists (local simulator + bridge, or OUTPOST_DEV_CONFIG). */
  readonly fallback?: AppConfig | null
}

export function createConfigService(options: ConfigServiceOptions): ConfigService {
  let config: AppConfig | null = null
  let source: 'file' | 'dev-fallback' | 'none' = 'none'
  const listeners = new Set<(config: AppConfig | null) => void>()

  return {
    async load() {
      const settings = await options.settingsFile.load()
      if (settings) {
        config = { settings, secrets: await options.secretStore.load() }
        source = 'file'
      } else if (options.fallback) {
        config = options.fallback
        source = 'dev-fallback'
      } else {
        config = null
        source = 'none'
      }
    },
    current: () => config,
    publicSettings: () => toPublic(config),
    async save(update) {
      const kept = config?.secrets ?? {}
      const secrets: Secrets = { ...kept, ...definedOnly(update.secrets) }
      await options.settingsFile.save(update.settings)
      await options.secretStore.save(secrets)
      config = { settings: update.settings, secrets }
      source = 'file'
      for (const listener of listeners) listener(config)
      return toPublic(config)
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    source: () => source,
  }
}

/** The one place secrets are reduced to flags before anything goes to the renderer. */
export function toPublic(config: AppConfig | null): PublicSettings {
  return {
    settings: config?.settings ?? null,
    hasClientSecret: Boolean(config?.secrets.clientSecret),
    hasPrivateKey: Boolean(config?.secrets.privateKeyPem),
    hasBridgeToken: Boolean(config?.secrets.bridgeToken),
  }
}

function definedOnly(secrets: Secrets): Secrets {
  return Object.fromEntries(Object.entries(secrets).filter(([, value]) => value !== undefined && value !== ''))
}
