// Tray and notification words: the queue in one line, the locale picked from the OS, no personal data.
import { describe, expect, it } from 'vitest'
import { desktopLocale, desktopText, trayTooltip } from '../../../../electron/services/desktop/desktop-text'
import { newFailures } from '../../../../electron/services/desktop/new-failures'

describe('trayTooltip', () => {
  it('summarises the queue', () => {
    expect(trayTooltip('en', null)).toBe('Outpost')
    expect(trayTooltip('en', { pending: 0, failed: 0, draining: false })).toBe('Outpost — Everything is sent')
    expect(trayTooltip('en', { pending: 3, failed: 1, draining: true })).toBe(
      'Outpost — 1 action needs your attention · 3 actions waiting to be sent · Sending…',
    )
    expect(trayTooltip('de', { pending: 1, failed: 0, draining: false })).toBe('Outpost — 1 Aktion wartet auf das Senden')
  })
})

describe('desktopLocale', () => {
  it('picks German for any German locale and English otherwise', () => {
    expect(desktopLocale('de-AT')).toBe('de')
    expect(desktopLocale('DE')).toBe('de')
    expect(desktopLocale('fr-FR')).toBe('en')
    expect(desktopText('de').syncNow).toBe('Jetzt synchronisieren')
  })
})

describe('newFailures', () => {
  it('counts failures that appeared since the last report', () => {
    expect(newFailures({ pending: 2, failed: 0, draining: true }, { pending: 1, failed: 1, draining: false })).toBe(1)
    expect(newFailures({ pending: 2, failed: 3, draining: true }, { pending: 1, failed: 2, draining: false })).toBe(0)
  })

  it('does not announce old failures on the first report after start', () => {
    expect(newFailures(null, { pending: 0, failed: 4, draining: false })).toBe(0)
  })
})
