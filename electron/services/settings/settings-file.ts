/**
 * The non-secret settings as a JSON file, validated with the shared `SettingsSchema`;
 * a bad file fails with the field named (`settings.json: apiBaseUrl: must be an http(s) URL`).
 * Secrets never go in this file: they belong to a SecretStore.
 */
import { basename } from 'node:path'
import { parseStrict } from '../../../shared/parse'
import { SettingsSchema, type Settings } from '../../../shared/settings'
import { readJsonFile, writeFileAtomic } from '../files'

export interface SettingsFile {
  readonly path: string
  /** `null` when there is no file yet (first start). */
  load(): Promise<Settings | null>
  save(settings: Settings): Promise<void>
}

export function createSettingsFile(path: string): SettingsFile {
  return {
    path,
    async load() {
      const read = await readJsonFile(path, SettingsSchema, { label: basename(path) })
      return read.kind === 'ok' ? read.value : null
    },
    async save(settings) {
      await writeFileAtomic(path, `${JSON.stringify(parseStrict(SettingsSchema, settings, 'settings'), null, 2)}\n`)
    },
  }
}
