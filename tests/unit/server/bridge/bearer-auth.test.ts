import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBearerCheck, generateClientToken } from '../../../../server/bridge/bearer-auth'
import { CLIENT_TOKEN_FILE, resolveClientToken } from '../../../../server/bridge/client-token'

describe('bearer check', () => {
  const token = generateClientToken()
  const check = createBearerCheck(token)

  it('accepts exactly the token, case-insensitive scheme', () => {
    expect(check(`Bearer ${token}`)).toBe(true)
    expect(check(`bearer ${token}`)).toBe(true)
  })

  it.each([undefined, '', token, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, `Basic ${token}`, 'Bearer '])('refuses %j', (header) => {
    expect(check(header)).toBe(false)
  })
})

describe('client token file', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('generates once, keeps it owner-only, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-token-'))
    dirs.push(dir)
    const first = resolveClientToken(join(dir, 'data'), undefined)
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(resolveClientToken(join(dir, 'data'), undefined)).toBe(first)
    const file = join(dir, 'data', CLIENT_TOKEN_FILE)
    expect(readFileSync(file, 'utf8').trim()).toBe(first)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('prefers a configured token and refuses a short one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-token-'))
    dirs.push(dir)
    expect(resolveClientToken(dir, 'a-configured-token-of-length')).toBe('a-configured-token-of-length')
    expect(() => resolveClientToken(dir, 'short')).toThrow(/at least/)
  })
})
