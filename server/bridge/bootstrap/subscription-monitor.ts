/**
 * Owns the bridge's webhook subscription: checks it at start and periodically, re-creates
 * or re-enables it when the API lost or disabled it, and probes a quiet subscription with a
 * test delivery, so "no events" is told apart from "no deliveries" (silent).
 */
import type { ApiClient } from '../../../shared/node/api'
import { ensureSubscription, type SubscriptionAction } from './ensure-subscription'

export type SubscriptionApi = Pick<ApiClient, 'listWebhooks' | 'createWebhook' | 'updateWebhook' | 'testWebhook'>

/** Why the last check had to repair the subscription. */
export type RepairReason = 'missing' | 'disabled'

export type SubscriptionState =
  | { readonly state: 'not_requested' }
  | {
      readonly state: 'ok'
      readonly action: SubscriptionAction
      readonly id: string
      readonly url: string
      readonly checkedAt: number
      readonly lastRepair?: { readonly reason: RepairReason; readonly at: number }
    }
  /**
   * The check itself failed (API down, wrong credentials): whether deliveries arrive is unknown.
   * `confirmedAt`: when an earlier check last found the subscription delivering, if one did.
   */
  | { readonly state: 'failed'; readonly detail: string; readonly checkedAt: number; readonly confirmedAt?: number }
  /** A test delivery was asked for and none arrived in time: the API is not reaching this bridge. */
  | { readonly state: 'silent'; readonly id: string; readonly url: string; readonly detail: string; readonly checkedAt: number }

export interface SubscriptionMonitorOptions {
  readonly api: SubscriptionApi
  /** The receiver URL the API must post to. */
  readonly url: string
  readonly intervalMs: number
  /** How long a probe's test delivery may take before the subscription counts as silent. */
  readonly silenceGraceMs: number
  /** First retry after a transient failure (doubles up to the interval). */
  readonly retryMs: number
  /** When the last verified delivery (events or test) reached this bridge (or its store). */
  readonly lastDeliveryAt: () => number | undefined
  readonly log: (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string) => void
  readonly now?: () => number
}

export interface SubscriptionMonitor {
  readonly state: SubscriptionState
  /** Runs a check now (the timer also does); resolves with the state it leaves. */
  checkNow(): Promise<SubscriptionState>
  stop(): void
}

const actionReason = (action: SubscriptionAction): RepairReason | undefined =>
  action === 'created' ? 'missing' : action === 'enabled' ? 'disabled' : undefined

export function createSubscriptionMonitor(options: SubscriptionMonitorOptions): SubscriptionMonitor {
  const now = options.now ?? Date.now
  let state: SubscriptionState = { state: 'not_requested' }
  let lastRepair: { reason: RepairReason; at: number } | undefined
  let probeSentAt: number | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let running: Promise<SubscriptionState> | undefined
  let retryMs = options.retryMs
  let isFirst = true

  const delivered = (since: number): boolean => (options.lastDeliveryAt() ?? -Infinity) >= since
  /** The silence detail, when a probe went unanswered past its grace. */
  const silence = (at: number): string | undefined =>
    probeSentAt !== undefined && !delivered(probeSentAt) && at - probeSentAt >= options.silenceGraceMs
      ? `no delivery arrived since a test delivery was requested ${Math.round((at - probeSentAt) / 1000)} s ago`
      : undefined
  // Silence shows as soon as the grace is over and ends with the first delivery, between checks too.
  const currentState = (): SubscriptionState => {
    const detail = state.state === 'ok' ? silence(now()) : undefined
    return state.state === 'ok' && detail !== undefined
      ? { state: 'silent', id: state.id, url: state.url, checkedAt: state.checkedAt, detail }
      : state
  }

  const schedule = (delayMs: number): void => {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(() => void check(), delayMs)
    timer.unref()
  }

  const runCheck = async (): Promise<SubscriptionState> => {
    const at = now()
    const result = await ensureSubscription(options.api, { url: options.url })
    if (!result.ok) {
      const detail = `${result.error.kind}: ${result.error.message}`
      // A subscription confirmed before is most likely still there: remember since when.
      const confirmedAt = state.state === 'ok' ? state.checkedAt : state.state === 'failed' ? state.confirmedAt : undefined
      state = { state: 'failed', detail, checkedAt: at, ...(confirmedAt === undefined ? {} : { confirmedAt }) }
      options.log('error', { detail }, 'webhook subscription check failed')
      // An unreachable or overloaded API recovers by itself: retry sooner. Wrong credentials wait for the next round.
      if (result.error.kind === 'transient') {
        schedule(retryMs)
        retryMs = Math.min(retryMs * 2, options.intervalMs)
      } else schedule(options.intervalMs)
      return state
    }
    retryMs = options.retryMs
    const { subscription, action } = result.value
    const reason = actionReason(action)
    // At start, creating or enabling is setting up, not a repair.
    if (reason !== undefined && !isFirst) {
      lastRepair = { reason, at }
      options.log('warn', { id: subscription.id, reason }, 'webhook subscription repaired')
    } else if (isFirst) options.log('info', { id: subscription.id, action }, 'webhook subscription ready')
    isFirst = false

    state = {
      state: 'ok',
      action,
      id: subscription.id,
      url: subscription.url,
      checkedAt: at,
      ...(lastRepair === undefined ? {} : { lastRepair }),
    }
    if (probeSentAt !== undefined && delivered(probeSentAt)) probeSentAt = undefined
    // Quiet for a whole round (or just started): ask for a test delivery. While silent, ask
    // again each round but keep the first probe's time, so silence lasts until one arrives.
    if (!delivered(at - options.intervalMs)) {
      const probe = await options.api.testWebhook(subscription.id)
      if (probe.ok) probeSentAt ??= at
    }
    const silent = silence(now())
    if (silent !== undefined) options.log('error', { id: subscription.id, detail: silent }, 'webhook subscription is silent')
    // Judge a fresh probe once its grace is over, not a whole interval later.
    schedule(probeSentAt === undefined || silent !== undefined ? options.intervalMs : Math.min(options.intervalMs, options.silenceGraceMs))
    return currentState()
  }

  const check = (): Promise<SubscriptionState> => {
    running ??= runCheck().finally(() => {
      running = undefined
    })
    return running
  }

  return {
    get state() {
      return currentState()
    },
    checkNow: check,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
