/** Webhook subscriptions (`/webhooks`) as the API defines them. */
import { z } from 'zod'
import { DateTimeSchema, UuidSchema } from './common'

export const WEBHOOK_TYPES = [
  'ALL', 'USER', 'USER_CHECK', 'ORDER', 'ORDER_CANCELLATION', 'EXECUTION', 'POSITION', 'CASH_BALANCE',
  'ACCOUNT', 'ACCOUNT_GROUP', 'REPORT', 'TREASURY_REPORT', 'DIRECT_DEBIT', 'WITHDRAWAL', 'PORTFOLIO',
  'PORTFOLIO_ALLOCATION', 'PORTFOLIO_ORDER', 'CORPORATE_ACTION', 'ACCOUNT_VALUATION',
  'INTRADAY_ACCOUNT_VALUATION', 'CASH_TRANSACTION', 'SECURITY_TRANSACTION', 'ACCOUNT_LIQUIDATION',
  'ACCOUNT_RETURNS', 'VIRTUAL_CASH_INCREASE', 'VIRTUAL_CASH_DECREASE', 'FEE_COLLECTION',
] as const
export const WebhookTypeSchema = z.enum(WEBHOOK_TYPES)

export const WebhookConfigSchema = z.strictObject({
  // e.g. "5s", "1m": how long the API collects events before it sends a package.
  delay: z.string().regex(/^[1-9][0-9]?[sm]$/, 'must be 1-99 followed by s or m, e.g. "5s"'),
  max_package_size: z.number().int().min(100, 'must be at least 100').max(1048576, 'must be at most 1048576'),
})
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>

const WebhookUrlSchema = z.url('must be a URL').max(1000, 'must be at most 1000 characters')

export const WebhookSubscriptionSchema = z.object({
  id: UuidSchema,
  created_at: DateTimeSchema,
  updated_at: DateTimeSchema,
  title: z.string().max(100),
  url: WebhookUrlSchema,
  type: z.array(WebhookTypeSchema),
  enabled: z.boolean(),
  config: WebhookConfigSchema,
})
export type WebhookSubscription = z.infer<typeof WebhookSubscriptionSchema>

export const CreateWebhookBodySchema = z.strictObject({
  title: z.string().min(1, 'is required').max(100, 'must be at most 100 characters'),
  url: WebhookUrlSchema,
  type: z.array(WebhookTypeSchema).min(1, 'must name at least one type').default(['ALL']),
  config: WebhookConfigSchema,
})
export type CreateWebhookBody = z.input<typeof CreateWebhookBodySchema>

export const UpdateWebhookBodySchema = z
  .strictObject({
    title: z.string().min(1, 'is required').max(100, 'must be at most 100 characters').optional(),
    url: WebhookUrlSchema.optional(),
    type: z.array(WebhookTypeSchema).min(1, 'must name at least one type').optional(),
    enabled: z.boolean().optional(),
    config: WebhookConfigSchema.optional(),
  })
  .refine((value) => Object.values(value).some((v) => v !== undefined), 'must change at least one field')
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBodySchema>

export const ListWebhooksResponseSchema = z.object({
  meta: z.object({ offset: z.number().int(), limit: z.number().int(), count: z.number().int(), total_count: z.number().int() }).loose(),
  data: z.array(WebhookSubscriptionSchema),
})
export type ListWebhooksResponse = z.infer<typeof ListWebhooksResponseSchema>
