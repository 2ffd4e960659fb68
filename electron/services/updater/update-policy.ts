/**
 * When the updater may check, download and install. The rule that matters: an update is
 * never installed while the outbox is draining, because quitting mid-request can leave an
 * action half-sent. Pure (facts in, decision out) so the rule is tested without Electron;
 * electron/main/updater.ts applies the decisions to electron-updater.
 */
import { assertNever } from '../../../shared/assert-never'

const MINUTE_MS = 60_000
/** Background check cadence; field staff keep the app open all day. */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * MINUTE_MS
/** After a failed check or download, wait before trying again rather than hammering the feed. */
export const UPDATE_RETRY_AFTER_FAILURE_MS = 30 * MINUTE_MS

export type UpdatePhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking' }
  | { readonly kind: 'available'; readonly version: string }
  | { readonly kind: 'downloading'; readonly version: string }
  | { readonly kind: 'downloaded'; readonly version: string }
  | { readonly kind: 'failed'; readonly at: number }

export interface UpdateFacts {
  /** The generic-provider feed from settings; no feed, no updates. */
  readonly feedUrl: string | null
  /** Only a packaged app can replace itself. */
  readonly packaged: boolean
  readonly online: boolean
  /** The renderer's last report: the outbox is sending right now. */
  readonly draining: boolean
  readonly phase: UpdatePhase
  /** Local ms of the last check started; null: never. */
  readonly lastCheckAt: number | null
  readonly now: number
}

export type UpdateAction = { readonly kind: 'none' } | { readonly kind: 'check' } | { readonly kind: 'download' }

const NONE: UpdateAction = { kind: 'none' }

/** What to do next in the background. */
export function nextUpdateAction(facts: UpdateFacts): UpdateAction {
  if (facts.feedUrl === null || !facts.packaged || !facts.online) return NONE
  const phase = facts.phase
  switch (phase.kind) {
    case 'idle':
      return checkIsDue(facts, UPDATE_CHECK_INTERVAL_MS) ? { kind: 'check' } : NONE
    case 'failed':
      return facts.now - phase.at >= UPDATE_RETRY_AFTER_FAILURE_MS && checkIsDue(facts, UPDATE_RETRY_AFTER_FAILURE_MS)
        ? { kind: 'check' }
        : NONE
    case 'available':
      return { kind: 'download' }
    case 'checking':
    case 'downloading':
    case 'downloaded':
      return NONE
    default:
      return assertNever(phase, 'update phase')
  }
}

/** Whether quitting now may install the downloaded update. */
export function mayInstallOnQuit(facts: Pick<UpdateFacts, 'phase' | 'draining' | 'packaged'>): boolean {
  return facts.packaged && facts.phase.kind === 'downloaded' && !facts.draining
}

function checkIsDue(facts: UpdateFacts, interval: number): boolean {
  return facts.lastCheckAt === null || facts.now - facts.lastCheckAt >= interval
}
