/** Main's side of proof files: the upload method is validated by the contract, and a change still carrying the stand-in link never reaches the API. */
import { describe, expect, it } from 'vitest'
import { createHandlers, type HandlerServices } from '../../../electron/services/handlers/create-handlers'
import { dispatch } from '../../../electron/services/handlers/dispatch'
import { createMemoryJournal } from '../../../electron/services/handlers/journal-store'
import { PROOF_FILE_PLACEHOLDER_LINK } from '../../../shared/proof-document'

function handlers(calls: string[]) {
  const services = {
    api: () => ({ requestDataChange: async () => (calls.push('requestDataChange'), { ok: true, value: null }) }),
    config: {} as HandlerServices['config'],
    connectivity: () => ({ online: true, since: '2026-01-01T00:00:00.000Z' }),
    confirmFeedBatch: async () => undefined,
    testConnection: async () => ({
      api: { ok: true, outcome: 'connected' as const, users: 1 },
      bridge: { ok: true, outcome: 'connected' as const },
    }),
    appInfo: () => ({ version: '1', platform: 'linux', transport: 'web' as const }),
    reportSyncStatus: () => undefined,
    journal: createMemoryJournal(),
    uploadProof: async () => (calls.push('uploadProof'), { ok: true as const, value: { url: 'https://bridge.example/documents/abc' } }),
  } as unknown as HandlerServices
  return createHandlers(services)
}

const change = (link: string) => ({
  userId: '8c9b2a8e-0000-4000-8000-000000000001',
  body: { first_name: 'Anna', last_name: 'Meyer', issuance_date: '2024-05-01', document_type: 'PASSPORT', data_download_link: link },
})

describe('proof files in main', () => {
  it('never sends the API a change whose proof file was not uploaded', async () => {
    const calls: string[] = []
    const answer = await dispatch(handlers(calls), 'requestDataChange', change(PROOF_FILE_PLACEHOLDER_LINK))
    expect(answer).toMatchObject({ ok: true, value: { ok: false, error: { kind: 'validation' } } })
    expect(calls).toEqual([])
    await dispatch(handlers(calls), 'requestDataChange', change('https://bridge.example/documents/abc'))
    expect(calls).toEqual(['requestDataChange'])
  })

  it('refuses an upload that is not base64 of an allowed kind before any service runs', async () => {
    const calls: string[] = []
    const wrongKind = await dispatch(handlers(calls), 'uploadProofDocument', { contentType: 'text/html', dataBase64: 'PGh0bWw+' })
    expect(wrongKind).toMatchObject({ ok: false, failure: { code: 'invalid_input' } })
    const notBase64 = await dispatch(handlers(calls), 'uploadProofDocument', { contentType: 'image/png', dataBase64: '<script>' })
    expect(notBase64).toMatchObject({ ok: false, failure: { code: 'invalid_input' } })
    expect(calls).toEqual([])
    expect(await dispatch(handlers(calls), 'uploadProofDocument', { contentType: 'image/png', dataBase64: 'iVBORw0KGgo=' })).toMatchObject({
      ok: true,
      value: { ok: true, value: { url: 'https://bridge.example/documents/abc' } },
    })
  })
})
