/**
 * The reason beside a history step, in the person's language. The engine stores its reasons
 * in English (they also go to logs and main's journal); the ones it writes itself are
 * translated here, event names become words, and anything else came from the server and is
 * shown as it wrote it, labelled as its message.
 */
import type { MessageSchema } from '.'

type HistoryKey = keyof MessageSchema['history']
export type Translate = (key: string, params?: Record<string, unknown>) => string

/** Reasons the app itself writes (db/outbox-*, sync/classify-result, sync/data-change-preflight). */
const APP_REASONS: Readonly<Record<string, HistoryKey>> = {
  'accepted by the API': 'acceptedByApi',
  'offboarding accepted by the API': 'offboardingAccepted',
  'a data change is already pending on the server': 'pendingThere',
  'the user is already offboarding': 'alreadyOffboarding',
  'the server already shows this change': 'alreadyShown',
  'confirmed by read-back': 'confirmedByReadBack',
  'confirmed by the API': 'confirmedByApi',
  'retry asked by the user': 'retryAsked',
  'edited and queued again by the user': 'editedAgain',
  'discarded by the user': 'discarded',
  'offboarded before it reached the server': 'offboardedLocally',
  // Written in the person's language when they withdrew it.
  'withdrawn by the user before it was sent': 'withdrawn',
  'vor dem Senden von der Person zurückgezogen': 'withdrawn',
}

const EVENT = /^USER\.[A-Z_]+$/
const NO_ANSWER = /failed: |no answer from|did not answer|could not be reached|offline/

export function historyDetailText(detail: string, t: Translate): string {
  const own = APP_REASONS[detail]
  if (own !== undefined) return t(`history.${own}`)
  const attempt = /^attempt (\d+)$/.exec(detail)
  if (attempt !== null) return t('history.attempt', { n: Number(attempt[1]) })
  if (EVENT.test(detail)) return eventName(detail, t)
  const unrelated = /^(USER\.[A-Z_]+) \(not this change yet\)$/.exec(detail)
  if (unrelated !== null) return t('history.notThisChange', { event: eventName(unrelated[1]!, t) })
  const retry = /^(.*); next attempt in (\d+) ms$/s.exec(detail)
  if (retry !== null) return t('history.nextTry', { reason: failureText(retry[1]!, t), seconds: Math.ceil(Number(retry[2]) / 1000) })
  return t('history.serverSaid', { text: detail })
}

/** An event type as words ("USER.DATA_CHANGED" -> "data change confirmed"); unknown types as they are. */
export function eventName(type: string, t: Translate): string {
  const key = `events.${type.replace('.', '_')}`
  const text = t(key)
  return text === key ? t('history.event', { event: type }) : text
}

function failureText(message: string, t: Translate): string {
  if (NO_ANSWER.test(message)) return t('history.noAnswer')
  const status = /^HTTP (\d{3})/.exec(message)
  if (status !== null) return t('history.serverTrouble', { status: Number(status[1]) })
  return t('history.serverSaid', { text: message })
}
