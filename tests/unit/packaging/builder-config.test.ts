// The installer settings field staff depend on: a per-user Windows install that never asks
// for admin rights, signed and notarizable macOS builds for both architectures, credentials
// only from the environment, and every icon present and made from the one source image.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { parseUnknown } from '../../../shared/parse'

const ROOT = resolve(__dirname, '../../..')
const text = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')

const TargetSchema = z.object({ target: z.string(), arch: z.array(z.string()) })
const ConfigSchema = z
  .object({
    appId: z.string(),
    productName: z.string(),
    asar: z.literal(true),
    win: z.object({ icon: z.string(), target: z.array(TargetSchema) }).loose(),
    nsis: z.object({ oneClick: z.boolean(), perMachine: z.literal(false), allowElevation: z.literal(false) }).loose(),
    mac: z
      .object({
        icon: z.string(),
        hardenedRuntime: z.literal(true),
        entitlements: z.string(),
        entitlementsInherit: z.string(),
        notarize: z.boolean(),
        target: z.array(TargetSchema),
      })
      .loose(),
    publish: z.object({ provider: z.literal('generic'), url: z.string() }),
  })
  .loose()
const config = parseUnknown(ConfigSchema, parse(text) as unknown, 'electron-builder.yml')

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(config.appId).toBe('app.outpost.desktop')
    expect(config.productName).toBe('Outpost')
  })

  it('builds a per-user NSIS installer for Windows', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }])
  })

  it('builds dmg and zip for x64 and arm64 with the hardened runtime', () => {
    const byTarget = Object.fromEntries(config.mac.target.map((t) => [t.target, [...t.arch].sort()]))
    expect(byTarget).toEqual({ dmg: ['arm64', 'x64'], zip: ['arm64', 'x64'] })
    const entitlements = readFileSync(join(ROOT, config.mac.entitlements), 'utf8')
    expect(entitlements).toContain('com.apple.security.cs.allow-jit')
    // Loading unsigned code would undo what the hardened runtime is for.
    expect(entitlements).not.toContain('disable-library-validation')
  })

  it('commits no credentials: signing and notarization come from the environment', () => {
    expect(text).not.toMatch(/\b(password|appleIdPassword|cscLink|cscKeyPassword|certificatePassword|apiKey|teamId)\s*:/i)
    expect(text).not.toMatch(/-----BEGIN/)
    expect(typeof config.mac.notarize).toBe('boolean')
    expect(text).not.toMatch(/fileAssociations/)
  })

  it('has every icon it names, rendered from build/icon.svg', () => {
    for (const icon of [
      config.win.icon,
      config.mac.icon,
      'build/icon.svg',
      'build/icon.png',
      'build/tray/tray.png',
      'build/tray/trayTemplate.png',
    ]) {
      expect(existsSync(join(ROOT, icon)), icon).toBe(true)
    }
    const png = readFileSync(join(ROOT, 'build/icon.png'))
    // PNG signature, then IHDR width and height: the 1024 px master the other sizes come from.
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024])
    expect(readFileSync(join(ROOT, 'build/icon.icns')).subarray(0, 4).toString('ascii')).toBe('icns')
    expect(readFileSync(join(ROOT, 'build/icon.ico')).readUInt16LE(2)).toBe(1)
  })
})
