/** `POST /auth/token` (client credentials) and `GET /auth/verify_keys` (JWKS). */
import { z } from 'zod'

export const SCOPES = ['users:read', 'users:admin', 'webhooks:read', 'webhooks:admin'] as const
export const ScopeSchema = z.enum(SCOPES)
export type Scope = z.infer<typeof ScopeSchema>

export const TokenRequestSchema = z.strictObject({
  client_id: z.string().min(1, 'is required'),
  client_secret: z.string().min(1, 'is required'),
  grant_type: z.literal('client_credentials'),
  scope: z
    .string()
    .min(1, 'must name at least one scope')
    .refine((value) => value.split(' ').every((s) => (SCOPES as readonly string[]).includes(s)), 'names an unknown scope'),
})
export type TokenRequest = z.infer<typeof TokenRequestSchema>

export const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string(),
  scope: z.string(),
})
export type TokenResponse = z.infer<typeof TokenResponseSchema>

/** Webhook verification keys: EC P-521 public keys as JWK. */
export const VerifyKeySchema = z.object({
  kid: z.string().min(1),
  kty: z.literal('EC'),
  crv: z.literal('P-521'),
  x: z.string().min(1),
  y: z.string().min(1),
})
export const VerifyKeysSchema = z.object({ keys: z.array(VerifyKeySchema) })
export type VerifyKeys = z.infer<typeof VerifyKeysSchema>
