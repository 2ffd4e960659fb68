/**
 * What the status bar tells the person about the connection, in one word, from everything the
 * app knows (rule 12: never "Online" when it is not). "Online" needs a recent answer from the
 * API itself; a state that needs the person (credentials) wins over a passing one.
 */
import type { SyncPhase } from '../db/sync-state'

/** "Online" only while the API answered within this long. */
export const CONTACT_FRESH_MS = 45_000

export type ConnectionState =
  /** The API answered within CONTACT_FRESH_MS. */
  | 'online'
  /** The device itself has no network. */
  | 'offline'
  /** The device has a network, but the API does not answer. */
  | 'serverUnreachable'
  /** The API refused the credentials: only the person can fix it (Settings). */
  | 'credentials'
  /** Main (desktop) or the web host did not answer. */
  | 'appService'
  /** The bridge reports its webhook subscription lost: the list may miss others' changes. */
  | 'liveUpdatesPaused'
  /** Nothing says the API is down, but it has not answered lately: being checked. */
  | 'checking'

export interface ConnectionFacts {
  /** The device's own network flag (navigator.onLine). */
  readonly deviceOnline: boolean
  /** Main's connectivity probe of the API. */
  readonly apiReachable: boolean
  readonly phase: SyncPhase
  /** Local ms of the last answer from the API; null when none yet. */
  readonly lastContact: number | null
  /** False when the bridge reports its subscription lost; null when unknown. */
  readonly live: boolean | null
  readonly now: number
}

export function connectionState(facts: ConnectionFacts): ConnectionState {
  if (facts.phase === 'unreachable') return 'appService'
  if (!facts.deviceOnline) return 'offline'
  if (facts.phase === 'credentials') return 'credentials'
  if (!facts.apiReachable || facts.phase === 'offline') return 'serverUnreachable'
  if (facts.lastContact === null || facts.now - facts.lastContact > CONTACT_FRESH_MS) return 'checking'
  if (facts.live === false) return 'liveUpdatesPaused'
  return 'online'
}
