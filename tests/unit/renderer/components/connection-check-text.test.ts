/** "Test connection" in the person's language: main reports facts, the line is worded here, the answer's own text shown as written. */
import { describe, expect, it } from 'vitest'
import { CONNECTION_OUTCOMES, type ConnectionCheck } from '../../../../shared/ipc/contract'
import { connectionCheckText } from '../../../../renderer/src/components/connection-check-text'
import { createAppI18n } from '../../../../renderer/src/i18n'
import { de } from '../../../../renderer/src/i18n/messages/de'

const i18n = createAppI18n('de', { de }).global
const say = (service: 'api' | 'bridge', check: ConnectionCheck) => {
  const line = connectionCheckText(service, check, (n) => i18n.n(n))
  return i18n.t(line.key, line.values)
}

describe('connection check text', () => {
  it('says every outcome of both services in German, with the answer’s own text as written', () => {
    expect(say('api', { ok: true, outcome: 'connected', users: 100_000 })).toBe('API: verbunden; 100.000 Personen sichtbar')
    expect(say('api', { ok: false, outcome: 'error', detail: 'Service Unavailable: simulated server error' })).toBe(
      'API: Der Server hat mit einem Fehler geantwortet. Nachricht vom Server: Service Unavailable: simulated server error',
    )
    expect(say('bridge', { ok: false, outcome: 'rejected', detail: 'HTTP 401' })).toBe(
      'Bridge: Die Bridge hat das Token abgelehnt (HTTP 401)',
    )
    for (const service of ['api', 'bridge'] as const)
      for (const outcome of CONNECTION_OUTCOMES) {
        const text = say(service, { ok: outcome === 'connected', outcome, detail: 'x' })
        // A missing German message would show its key (or fall back to English).
        expect(text).not.toContain('settings.checks')
        expect(text).not.toMatch(/connected|not configured|can’t reach|not tested|rejected/)
      }
  })
})
