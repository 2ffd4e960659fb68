/**
 * The non-secret settings as a JSON file, validated with the shared `SettingsSchema`;
 * a bad file fails with the field named (`settings.json: apiBaseUrl: must be an http(s) URL`).
 * Secrets never go in this file: they belong to a SecretStore.
 */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseUnknown } from '../../../shared/parse'
import { SettingsSchema, type Settings } from '../../../shared/settings'
import { isMissing, writeFileAtomic } from './secret-store'

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
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
      let json: unknown
      try {
        json = JSON.parse(text) as unknown
      } catch (error) {
        throw new Error(`${basename(path)} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
      }
      return parseUnknown(SettingsSchema, json, basename(path))
    },
    async save(settings) {
      await writeFileAtomic(path, `${JSON.stringify(parseUnknown(SettingsSchema, settings, 'settings'), null, 2)}\n`)
    },
  }
}
