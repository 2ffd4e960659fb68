import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConfigService } from '../../../electron/services/settings/config-service'
import {
  loadDevConfigFile,
  localDefaultConfig,
  resolveDevFallback,
  DEV_CONFIG_ENV,
  LOCAL_API_URL,
  LOCAL_BRIDGE_URL,
} from '../../../electron/services/settings/dev-config'
import { createEncryptedFileSecretStore, createPlainFileSecretStore } from '../../../electron/services/settings/secret-store'
import { createSettingsFile } from '../../../electron/services/settings/settings-file'

const settings = () => ({
  apiBaseUrl: 'http://127.0.0.1:4010',
  clientId: randomUUID(),
  keyId: 'key-1',
  scopes: ['users:read' as const],
  startMinimized: false,
  closeToTray: true,
})

describe('settings and secrets', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outpost-settings-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads a missing settings file as null and a bad one with the field named', async () => {
    const file = createSettingsFile(join(dir, 'settings.json'))
    expect(await file.load()).toBeNull()
    await writeFile(file.path, JSON.stringify({ ...settings(), apiBaseUrl: 'ftp://x' }))
    await expect(file.load()).rejects.toThrow(/settings\.json: apiBaseUrl: must be an http\(s\) URL/)
    await writeFile(file.path, '{ not json')
    await expect(file.load()).rejects.toThrow(/settings\.json is not valid JSON/)
    const good = settings()
    await file.save(good)
    expect(await file.load()).toEqual(good)
  })

  it('keeps secrets through the cipher and never echoes a corrupt file', async () => {
    const path = join(dir, 'secrets.bin')
    const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a))
    const store = createEncryptedFileSecretStore(path, {
      encryptString: (s) => xor(Buffer.from(s)),
      decryptString: (b) => xor(b).toString(),
    })
    expect(await store.load()).toEqual({})
    await store.save({ clientSecret: 'hunter2' })
    expect((await readFile(path)).toString()).not.toContain('hunter2')
    expect(await store.load()).toEqual({ clientSecret: 'hunter2' })
    await writeFile(path, 'garbage-with-secret-inside')
    const error = await store.load().catch((e: unknown) => e as Error)
    expect(String(error)).toContain('cannot be read')
    expect(String(error)).not.toContain('secret-inside')
  })

  it('merges newly typed secrets over kept ones and tells listeners', async () => {
    const config = createConfigService({
      settingsFile: createSettingsFile(join(dir, 'settings.json')),
      secretStore: createPlainFileSecretStore(join(dir, 'secrets.json')),
    })
    await config.load()
    expect(config.source()).toBe('none')
    expect(config.publicSettings()).toEqual({ settings: null, hasClientSecret: false, hasPrivateKey: false, hasBridgeToken: false })
    const changes: unknown[] = []
    config.onChange((c) => changes.push(c))
    await config.save({ settings: settings(), secrets: { clientSecret: 's1', bridgeToken: 'b1' } })
    const after = await config.save({ settings: settings(), secrets: { clientSecret: 's2' } })
    expect(after).toMatchObject({ hasClientSecret: true, hasBridgeToken: true, hasPrivateKey: false })
    expect(config.current()?.secrets).toEqual({ clientSecret: 's2', bridgeToken: 'b1' })
    expect(changes).toHaveLength(2)
    // A restart reads both back.
    const again = createConfigService({
      settingsFile: createSettingsFile(join(dir, 'settings.json')),
      secretStore: createPlainFileSecretStore(join(dir, 'secrets.json')),
    })
    await again.load()
    expect(again.source()).toBe('file')
    expect(again.current()?.secrets).toEqual({ clientSecret: 's2', bridgeToken: 'b1' })
  })

  it('uses the dev fallback only while no settings file exists', async () => {
    const fallback = { settings: settings(), secrets: { clientSecret: 'dev' } }
    const config = createConfigService({
      settingsFile: createSettingsFile(join(dir, 'settings.json')),
      secretStore: createPlainFileSecretStore(join(dir, 'secrets.json')),
      fallback,
    })
    await config.load()
    expect(config.source()).toBe('dev-fallback')
    expect(config.current()).toEqual(fallback)
  })

  it('loads a dev config file (with a key file beside it) and the local default from the demo client', async () => {
    const keyPath = join(dir, 'key.pem')
    await writeFile(keyPath, '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n')
    const path = join(dir, 'dev.json')
    await writeFile(
      path,
      JSON.stringify({ settings: settings(), secrets: { clientSecret: 'c', bridgeToken: 't' }, privateKeyPath: 'key.pem' }),
    )
    const loaded = loadDevConfigFile(path)
    expect(loaded.secrets).toMatchObject({ clientSecret: 'c', bridgeToken: 't', privateKeyPem: expect.stringContaining('PRIVATE KEY') })
    expect(resolveDevFallback({ [DEV_CONFIG_ENV]: path }, dir)).toEqual(loaded)
    await writeFile(path, JSON.stringify({ settings: { ...settings(), clientId: 'nope' } }))
    expect(() => loadDevConfigFile(path)).toThrow(/settings\.clientId: must be a UUID/)

    const local = localDefaultConfig(resolve('server/sandbox/dev-client.json'))
    expect(local.settings).toMatchObject({ apiBaseUrl: LOCAL_API_URL, bridgeUrl: LOCAL_BRIDGE_URL })
    expect(local.secrets.privateKeyPem).toContain('PRIVATE KEY')
    expect(resolveDevFallback({}, dir)).toBeNull()
  })
})
