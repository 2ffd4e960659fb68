/** History reasons in the person's language: the app's own reasons and event names translated, the server's words labelled. */
import { describe, expect, it } from 'vitest'
import { createAppI18n } from '../../../../renderer/src/i18n'
import { historyDetailText } from '../../../../renderer/src/i18n/history-detail'
import { de } from '../../../../renderer/src/i18n/messages/de'

function translator(locale: 'en' | 'de') {
  const { t } = createAppI18n(locale, { de }).global
  return (key: string, params: Record<string, unknown> = {}) => t(key, params)
}

describe('history reasons', () => {
  it('speak German for what the app writes, event names included', () => {
    const t = translator('de')
    expect(historyDetailText('offboarding accepted by the API', t)).toBe('der Server hat die Abmeldung angenommen')
    expect(historyDetailText('USER.DATA_CHANGED', t)).toBe('Datenänderung bestätigt')
    expect(historyDetailText('USER.DATA_CHANGED (not this change yet)', t)).toBe('Datenänderung bestätigt, aber noch nicht diese Änderung')
    expect(historyDetailText('attempt 3', t)).toBe('Versuch 3')
    expect(historyDetailText('GET /users/1 failed: connect ECONNREFUSED; next attempt in 1500 ms', t)).toBe(
      'der Server war nicht erreichbar; nächster Versuch in 2 s',
    )
  })

  it('show what the server wrote as it wrote it, labelled as its message', () => {
    expect(historyDetailText('document expired', translator('de'))).toBe('Nachricht vom Server: document expired')
    expect(historyDetailText('document expired', translator('en'))).toBe('Message from the server: document expired')
  })

  it('read as plain English too', () => {
    const t = translator('en')
    expect(historyDetailText('USER.OFFBOARDED', t)).toBe('user offboarded')
    expect(historyDetailText('HTTP 503: maintenance; next attempt in 4000 ms', t)).toBe('the server had a problem (503); next try in 4 s')
    for (const [, text] of Object.entries(de.events)) expect(text).not.toMatch(/USER\./)
  })
})
