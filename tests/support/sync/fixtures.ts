/** Valid bodies and fresh databases for the sync tests. */
import type { CreateUserBody } from '../../../shared/schemas/create-user'
import type { DataChange } from '../../../shared/schemas/data-change'
import type { User } from '../../../shared/schemas/user'
import { openDatabase, type OutpostDb } from '../../../renderer/src/db/database'
import type { OutboxEntry } from '../../../renderer/src/db/rows'

let dbCounter = 0

/** A database of its own per test (fake-indexeddb in tests). */
export function freshDb(prefix = 'test'): OutpostDb {
  dbCounter += 1
  return openDatabase(`${prefix}-${dbCounter}-${Math.random().toString(36).slice(2)}`)
}

export function createBody(n: number, overrides: Partial<CreateUserBody> = {}): CreateUserBody {
  return {
    first_name: `Anna${n}`,
    last_name: `Schmidt${n}`,
    birth_date: '1990-05-17',
    nationalities: ['DE'],
    address: { address_line1: `Hauptstrasse ${n}`, postcode: '10115', city: 'Berlin', country: 'DE' },
    ...overrides,
  } as CreateUserBody
}

export const POISON_ADDRESS = { address_line1: 'P.O. Box 12', postcode: '10115', city: 'Berlin', country: 'DE' }

export function emailChange(email: string): DataChange {
  return { kind: 'other', body: { email } }
}

export function nameChange(first: string, last: string): DataChange {
  return {
    kind: 'name',
    body: {
      first_name: first,
      last_name: last,
      issuance_date: '2024-01-02',
      data_download_link: 'https://docs.example.com/p.pdf',
      document_type: 'PASSPORT',
    },
  }
}

let userCounter = 0

/** A server user as the API would answer it. */
export function serverUser(overrides: Partial<User> = {}): User {
  userCounter += 1
  const n = userCounter.toString(16).padStart(12, '0')
  return {
    id: `aaaaaaaa-0000-4000-8000-${n}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    first_name: 'Max',
    last_name: 'Muster',
    birth_date: '1980-01-01',
    nationalities: ['DE'],
    address: { address_line1: 'Weg 1', postcode: '80331', city: 'Munich', country: 'DE' },
    status: 'ACTIVE',
    ...overrides,
  }
}

/** Waits until `check` holds, re-checking every few ms; fails after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

let entryCounter = 0

/** An outbox entry as stored (an offboarding of `userKey` unless `fields` say otherwise), for tests of pure rules. */
export function outboxEntry(userKey: string, fields: Record<string, unknown> = {}): OutboxEntry {
  entryCounter += 1
  return {
    seq: entryCounter,
    id: `e${entryCounter}`,
    userKey,
    kind: 'offboard',
    payload: {},
    idempotencyKey: `k${entryCounter}`,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
    createdAt: 0,
    updatedAt: 0,
    firstSentAt: null,
    acceptedAt: null,
    ...fields,
  } as unknown as OutboxEntry
}
