/**
 * Configuration for local use, when no settings file exists yet: either a dev config file
 * (path in OUTPOST_DEV_CONFIG, written by `npm start`: settings + secrets + bridge token),
 * or the built-in default — the local simulator and bridge with the demo client from
 * server/sandbox/dev-client.json. Dev only: a packaged app has neither file.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { z } from 'zod'
import { parseStrict, parseUnknown } from '../../../shared/parse'
import { ScopeSchema } from '../../../shared/schemas/auth'
import { SecretsSchema, SettingsSchema, type AppConfig } from '../../../shared/settings'

export type { AppConfig }

export const DEV_CONFIG_ENV = 'OUTPOST_DEV_CONFIG'
export const LOCAL_API_URL = 'http://127.0.0.1:4010'
export const LOCAL_BRIDGE_URL = 'http://127.0.0.1:4020'
/** Relative to the working directory: `npm` scripts run from the repository root. */
export const DEV_CLIENT_RELATIVE_PATH = 'server/sandbox/dev-client.json'

/** The dev config file: `{ settings, secrets, privateKeyPath? }` (a relative key path is read beside the file). */
export const DevConfigFileSchema = z.strictObject({
  settings: SettingsSchema,
  secrets: SecretsSchema.default({}),
  privateKeyPath: z.string().min(1).optional(),
})

export function loadDevConfigFile(path: string): AppConfig {
  const file = parseUnknown(DevConfigFileSchema, readJson(path), `dev config ${path}`)
  const privateKeyPem =
    file.privateKeyPath === undefined ? file.secrets.privateKeyPem : readFileSync(resolveBeside(path, file.privateKeyPath), 'utf8')
  return { settings: file.settings, secrets: { ...file.secrets, ...(privateKeyPem === undefined ? {} : { privateKeyPem }) } }
}

// Only what we need from A's demo client file; unknown fields (description) are ignored.
const DevClientSchema = z.object({
  client_id: z.string(),
  client_secret: z.string().min(1),
  key_id: z.string().min(1),
  scopes: z.array(ScopeSchema).min(1),
  private_key_path: z.string().min(1).optional(),
  private_key_pem: z.string().optional(),
})

export function localDefaultConfig(
  devClientPath: string,
  urls = { apiBaseUrl: LOCAL_API_URL, bridgeUrl: LOCAL_BRIDGE_URL },
  bridgeToken?: string,
): AppConfig {
  const client = parseUnknown(DevClientSchema, readJson(devClientPath), `dev client ${devClientPath}`)
  const privateKeyPem = client.private_key_pem ?? readFileSync(resolveBeside(devClientPath, client.private_key_path ?? ''), 'utf8')
  const settings = parseStrict(
    SettingsSchema,
    { apiBaseUrl: urls.apiBaseUrl, bridgeUrl: urls.bridgeUrl, clientId: client.client_id, keyId: client.key_id, scopes: client.scopes },
    'local default settings',
  )
  return { settings, secrets: { clientSecret: client.client_secret, privateKeyPem, ...(bridgeToken === undefined ? {} : { bridgeToken }) } }
}

/** The fallback used when no settings file exists: the env's dev config, else the local default, else none. */
export function resolveDevFallback(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AppConfig | null {
  const configPath = env[DEV_CONFIG_ENV]
  if (configPath) return loadDevConfigFile(configPath)
  const devClientPath = resolve(cwd, DEV_CLIENT_RELATIVE_PATH)
  return existsSync(devClientPath) ? localDefaultConfig(devClientPath) : null
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch (error) {
    throw new Error(`${path} cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function resolveBeside(file: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(file), path)
}
