/**
 * App settings as stored by main and shown to the renderer. Secrets (client secret,
 * private key, bridge token) are write-only from the renderer's side: it may set them,
 * and only ever learns whether they are set.
 */
import { z } from 'zod'
import { ScopeSchema } from './schemas/auth'
import { UuidSchema } from './schemas/common'

const HttpUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

export const DEFAULT_SCOPES = ['users:read', 'users:admin'] as const

/** The non-secret part, kept in the settings JSON file. */
export const SettingsSchema = z.strictObject({
  apiBaseUrl: HttpUrlSchema,
  clientId: UuidSchema,
  keyId: z.string().min(1, 'is required'),
  scopes: z.array(ScopeSchema).min(1, 'must name at least one scope').default([...DEFAULT_SCOPES]),
  bridgeUrl: HttpUrlSchema.optional(),
  updateFeedUrl: HttpUrlSchema.optional(),
  startMinimized: z.boolean().default(false),
  /** Closing the window hides it and sync goes on (tray / dock); off: it quits unless work is unsent. */
  closeToTray: z.boolean().default(true),
})
export type Settings = z.infer<typeof SettingsSchema>

/** Secrets, kept encrypted and never sent to the renderer. */
export const SecretsSchema = z.strictObject({
  clientSecret: z.string().min(1).optional(),
  privateKeyPem: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }).optional(),
  bridgeToken: z.string().min(1).optional(),
})
export type Secrets = z.infer<typeof SecretsSchema>

/** What main connects with: the settings and the secrets, held together in memory (never sent to the renderer). */
export interface AppConfig {
  readonly settings: Settings
  readonly secrets: Secrets
}

/** What the renderer sees: settings plus whether each secret is set. */
export const PublicSettingsSchema = z.object({
  settings: SettingsSchema.nullable(),
  hasClientSecret: z.boolean(),
  hasPrivateKey: z.boolean(),
  hasBridgeToken: z.boolean(),
})
export type PublicSettings = z.infer<typeof PublicSettingsSchema>

/** What the settings form sends: the settings and any secrets the user typed anew. */
export const SettingsUpdateSchema = z.strictObject({ settings: SettingsSchema, secrets: SecretsSchema })
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>
