/** The UI's small pure helpers: in-app routes, language choice, German issue texts, live notices. */
import { describe, expect, it } from 'vitest'
import { hashToView, viewToHash, type View } from '../../../../renderer/src/stores/navigation'
import { initialLocale, localeFromLanguage, LOCALE_STORAGE_KEY } from '../../../../renderer/src/i18n/locale'
import { localizeIssue } from '../../../../renderer/src/i18n/issue-messages'
import { noticeFor } from '../../../../renderer/src/stores/live-notice'
import { OWN_CHANGE_WINDOW_MS, usersChangedHere } from '../../../../renderer/src/db/changed-here'
import { freshDb } from '../../../support/sync/fixtures'
import { messageFor, messagesByPath } from '../../../../renderer/src/forms/validation'
import { FeedBatchSchema } from '../../../../shared/ipc/contract'
import { parseUnknown } from '../../../../shared/parse'

const batch = (raw: unknown) => parseUnknown(FeedBatchSchema, raw, 'test batch')

describe('in-app routes', () => {
  const views: View[] = [
    { name: 'users' },
    { name: 'user', userKey: 'local-1f2e' },
    { name: 'create' },
    { name: 'change', userKey: '8c9b2a8e-0000-4000-8000-000000000001' },
    { name: 'edit', entryId: 'e/1' },
    { name: 'outbox' },
    { name: 'settings' },
  ]
  it.each(views)('round-trips %o through the URL hash', (view) => {
    expect(hashToView(viewToHash(view))).toEqual(view)
  })
  it('falls back to the list for anything unknown (the run token fragment too)', () => {
    expect(hashToView('#token=abc')).toEqual({ name: 'users' })
    expect(hashToView('#/user/')).toEqual({ name: 'users' })
  })
})

describe('UI language', () => {
  it('follows the OS language, German for any German region, English otherwise', () => {
    expect(localeFromLanguage('de-AT')).toBe('de')
    expect(localeFromLanguage('en-GB')).toBe('en')
    expect(localeFromLanguage('fr-FR')).toBe('en')
    expect(localeFromLanguage(undefined)).toBe('en')
  })
  it('prefers the choice the person saved', () => {
    const storage = { getItem: (key: string) => (key === LOCALE_STORAGE_KEY ? 'de' : null), setItem: () => undefined }
    expect(initialLocale(storage, 'en-US')).toBe('de')
    expect(initialLocale({ getItem: () => 'xx', setItem: () => undefined }, 'en-US')).toBe('en')
  })
  it('translates known validation messages and keeps unknown ones', () => {
    expect(localizeIssue('is required', 'de')).toBe('Bitte ausfüllen.')
    expect(localizeIssue('something new', 'de')).toBe('something new')
    expect(localizeIssue('is required', 'en')).toBe('Fill this in.')
    // No API jargon reaches a field worker, in either language.
    for (const locale of ['en', 'de'] as const)
      for (const message of [
        'must be an ISO 3166-1 alpha-2 country code',
        'must be 8 to 15 digits (E.164 without +)',
        'must be a date in YYYY-MM-DD format',
      ])
        expect(localizeIssue(message, locale)).not.toMatch(/ISO|E\.164|YYYY|JJJJ/)
  })
})

describe('messages by path', () => {
  it('keeps the first message per path, strips a prefix and maps the prefix itself to the form', () => {
    const byPath = messagesByPath(
      [
        { path: 'body.address.postcode', message: 'first' },
        { path: 'body.address.postcode', message: 'second' },
        { path: 'body', message: 'must change at least one field' },
      ],
      'body.',
    )
    expect(byPath.get('address.postcode')).toBe('first')
    expect(byPath.get('')).toBe('must change at least one field')
    expect(messageFor(byPath, 'address')).toBe('first')
    expect(messageFor(byPath, 'city')).toBeUndefined()
  })
})

describe('live notices', () => {
  const user = (id: string, first: string, status: 'ACTIVE' | 'OFFBOARDED') => ({
    id,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
    first_name: first,
    last_name: 'Schmidt',
    birth_date: '1990-01-01',
    nationalities: ['DE'],
    address: { address_line1: 'Weg 1', postcode: '10115', city: 'Berlin', country: 'DE' },
    status,
  })
  const event = (n: number, object: ReturnType<typeof user>) => ({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    created_at: '2026-01-02T00:00:00Z',
    webhook_id: '00000000-0000-4000-8000-000000000009',
    type: 'USER.OFFBOARDED' as const,
    object,
  })
  it('names one user, counts several, and says nothing for failures only', () => {
    const oneEvents = [event(1, user('00000000-0000-4000-8000-0000000000a1', 'Anna', 'OFFBOARDED'))]
    const one = batch({ cursor: 'c1', events: oneEvents })
    expect(noticeFor(one)).toEqual({ kind: 'one', name: 'Anna Schmidt', status: 'OFFBOARDED' })
    const two = batch({ cursor: 'c2', events: [...oneEvents, event(2, user('00000000-0000-4000-8000-0000000000a2', 'Ben', 'ACTIVE'))] })
    expect(noticeFor(two)).toEqual({ kind: 'many', count: 2 })
    const failed = batch({
      cursor: 'c3',
      events: [
        {
          id: '00000000-0000-4000-8000-000000000003',
          created_at: '2026-01-02T00:00:00Z',
          webhook_id: '00000000-0000-4000-8000-000000000009',
          type: 'USER.DATA_CHANGE_FAILED',
          object: { user_id: '00000000-0000-4000-8000-0000000000a1', reason: 'no' },
        },
      ],
    })
    expect(noticeFor(failed)).toBeNull()
  })

  it('calls an event that answers an action of this device a confirmation, never a change made elsewhere', async () => {
    const anna = '00000000-0000-4000-8000-0000000000a1'
    const ben = '00000000-0000-4000-8000-0000000000a2'
    const offboarded = batch({ cursor: 'c1', events: [event(1, user(anna, 'Anna', 'OFFBOARDED'))] })
    const db = freshDb('notice')
    try {
      // Anna: this device offboarded her (the entry is gone, its history stays). Ben: nothing here.
      await db.history.add({ entryId: 'e1', userKey: anna, kind: 'offboard', step: 'accepted', at: Date.now() - 60_000, detail: '' })
      const mine = await usersChangedHere(offboarded.events, Date.now(), db)
      expect([...mine]).toEqual([anna])
      expect(noticeFor(offboarded, mine)).toEqual({ kind: 'mine', name: 'Anna Schmidt', status: 'OFFBOARDED', others: 0 })
      const both = batch({ cursor: 'c2', events: [...offboarded.events, event(2, user(ben, 'Ben', 'OFFBOARDED'))] })
      // In one batch with Ben's change from elsewhere, Anna's confirmation is still said, and Ben counted after it.
      expect(noticeFor(both, await usersChangedHere(both.events, Date.now(), db))).toEqual({
        kind: 'mine',
        name: 'Anna Schmidt',
        status: 'OFFBOARDED',
        others: 1,
      })
      // A change only queued here (not sent) cannot have caused an event: that one came from elsewhere.
      await db.history.add({ entryId: 'e2', userKey: ben, kind: 'offboard', step: 'queued', at: Date.now() - 1_000, detail: '' })
      expect([...(await usersChangedHere(both.events, Date.now(), db))]).toEqual([anna])
      // Long ago is history: a later event is news from elsewhere.
      expect([...(await usersChangedHere(offboarded.events, Date.now() + OWN_CHANGE_WINDOW_MS, db))]).toEqual([])
    } finally {
      db.close()
    }
  })
})
