// The updater's rules as pure decisions: never install while the outbox drains, check in
// the background on a cadence, download only when online, nothing without a feed or a package.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  mayInstallOnQuit,
  nextUpdateAction,
  UPDATE_CHECK_INTERVAL_MS,
  UPDATE_RETRY_AFTER_FAILURE_MS,
  type UpdateFacts,
  type UpdatePhase,
} from '../../../../electron/services/updater/update-policy'

const NOW = 1_800_000_000_000
const base: UpdateFacts = {
  feedUrl: 'https://updates.example.com/outpost/',
  packaged: true,
  online: true,
  draining: false,
  phase: { kind: 'idle' },
  lastCheckAt: null,
  now: NOW,
}
const downloaded: UpdatePhase = { kind: 'downloaded', version: '1.2.0' }

const phaseArb: fc.Arbitrary<UpdatePhase> = fc.oneof(
  fc.constant({ kind: 'idle' } as const),
  fc.constant({ kind: 'checking' } as const),
  fc.constant({ kind: 'available', version: '1.2.0' } as const),
  fc.constant({ kind: 'downloading', version: '1.2.0' } as const),
  fc.constant(downloaded),
  fc.integer({ min: 0, max: NOW }).map((at) => ({ kind: 'failed', at }) as const),
)

describe('mayInstallOnQuit', () => {
  it('installs a downloaded update on quit when the outbox is idle', () => {
    expect(mayInstallOnQuit({ ...base, phase: downloaded })).toBe(true)
  })

  it('never installs while the outbox is draining, whatever else holds', () => {
    fc.assert(
      fc.property(phaseArb, fc.boolean(), (phase, packaged) => {
        expect(mayInstallOnQuit({ phase, packaged, draining: true })).toBe(false)
      }),
    )
  })

  it('installs nothing that has not finished downloading, and nothing in a dev run', () => {
    for (const phase of [{ kind: 'idle' }, { kind: 'available', version: '1' }, { kind: 'downloading', version: '1' }] as const) {
      expect(mayInstallOnQuit({ ...base, phase })).toBe(false)
    }
    expect(mayInstallOnQuit({ ...base, phase: downloaded, packaged: false })).toBe(false)
  })
})

describe('nextUpdateAction', () => {
  it('checks at start, then only once the interval has passed', () => {
    expect(nextUpdateAction(base)).toEqual({ kind: 'check' })
    expect(nextUpdateAction({ ...base, lastCheckAt: NOW - UPDATE_CHECK_INTERVAL_MS + 1 })).toEqual({ kind: 'none' })
    expect(nextUpdateAction({ ...base, lastCheckAt: NOW - UPDATE_CHECK_INTERVAL_MS })).toEqual({ kind: 'check' })
  })

  it('downloads an available update only when online', () => {
    const available = { ...base, phase: { kind: 'available', version: '1.2.0' } } as const
    expect(nextUpdateAction(available)).toEqual({ kind: 'download' })
    expect(nextUpdateAction({ ...available, online: false })).toEqual({ kind: 'none' })
  })

  it('downloads even while draining: only the install waits for the outbox', () => {
    expect(nextUpdateAction({ ...base, draining: true, phase: { kind: 'available', version: '1.2.0' } })).toEqual({ kind: 'download' })
  })

  it('does nothing without a feed, offline, or unpackaged', () => {
    fc.assert(
      fc.property(phaseArb, fc.option(fc.integer({ min: 0, max: NOW })), (phase, lastCheckAt) => {
        const facts = { ...base, phase, lastCheckAt }
        expect(nextUpdateAction({ ...facts, feedUrl: null })).toEqual({ kind: 'none' })
        expect(nextUpdateAction({ ...facts, online: false })).toEqual({ kind: 'none' })
        expect(nextUpdateAction({ ...facts, packaged: false })).toEqual({ kind: 'none' })
      }),
    )
  })

  it('waits after a failure before checking again', () => {
    const failed = { ...base, phase: { kind: 'failed', at: NOW - 1000 }, lastCheckAt: NOW - 2000 } as const
    expect(nextUpdateAction(failed)).toEqual({ kind: 'none' })
    const later = { ...failed, now: NOW - 1000 + UPDATE_RETRY_AFTER_FAILURE_MS, lastCheckAt: NOW - 2000 }
    expect(nextUpdateAction(later)).toEqual({ kind: 'check' })
  })

  it('never starts a second check or download while one runs, nor re-checks a downloaded update', () => {
    for (const kind of ['checking', 'downloading', 'downloaded'] as const) {
      const phase = kind === 'checking' ? { kind } : { kind, version: '1.2.0' }
      expect(nextUpdateAction({ ...base, phase })).toEqual({ kind: 'none' })
    }
  })
})
