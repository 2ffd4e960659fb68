// What the installers ship, checked with electron-builder itself rather than a re-implementation:
// 1. a real `electron-builder --dir` pack of this repository (Linux target: it packs on any host)
//    with a stand-in Electron directory as `electronDist`, since the Electron binary cannot be
//    downloaded here; the produced app.asar is read with @electron/asar. This runs electron-builder's
//    real file selection and its production-dependency collection. `out/` may not be built yet when
//    unit tests run (CI builds after them), so
// 2. the config's `files` patterns are also run through electron-builder's own FileMatcher over a
//    temp tree of canaries (source maps, keys, dev-client files, tests, server and source code).
import { listPackage } from '@electron/asar'
import { FileMatcher } from 'app-builder-lib/out/fileMatcher'
import { Arch, build, Platform } from 'electron-builder'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseUnknown } from '../../../shared/parse'

const ROOT = resolve(__dirname, '../../..')
const PACK_TIMEOUT_MS = 180_000

const PackageJsonSchema = z.object({ dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) })
const LockSchema = z.object({ packages: z.record(z.string(), z.object({ dev: z.boolean().optional() }).loose()) })
const BuilderConfigSchema = z.object({ files: z.array(z.string()) }).loose()

const pkg = parseUnknown(PackageJsonSchema, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as unknown, 'package.json')
const builderConfig = parseUnknown(
  BuilderConfigSchema,
  parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as unknown,
  'electron-builder.yml',
)

/** Paths that must never be inside the app, wherever they sit outside node_modules. */
const FORBIDDEN = [
  /\.map$/,
  /\.(pem|key|p12|pfx|crt|cer)$/,
  /(^|\/)dev-client[^/]*$/,
  /(^|\/)\.env/,
  /\.(test|spec)\.[cm]?[jt]s$/,
  /^(tests|server|electron|renderer|shared|scripts|bench|docs|build|\.github|\.ci)(\/|$)/,
  /\.ts$/,
]

/** Package names of the production dependency closure, from the lockfile (electron-builder may hoist nested ones). */
function productionClosure(): Set<string> {
  const lock = parseUnknown(LockSchema, JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as unknown, 'package-lock.json')
  const names = new Set<string>()
  for (const [path, info] of Object.entries(lock.packages)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path)
    if (match?.[1] !== undefined && info.dev !== true) names.add(match[1])
  }
  return names
}

function topLevelModules(files: readonly string[]): Set<string> {
  const names = new Set<string>()
  for (const file of files) {
    const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)
    if (match?.[1] !== undefined) names.add(match[1])
  }
  return names
}

describe('electron-builder pack of this repository', () => {
  let temp: string
  let files: string[]
  let unpacked: string

  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'outpost-pack-'))
    // A stand-in for the Electron distribution: electron-builder copies it and renames the executable.
    const electronDist = join(temp, 'electron-dist')
    await mkdir(electronDist)
    await writeFile(join(electronDist, 'electron'), '#!/bin/sh\n')
    await chmod(join(electronDist, 'electron'), 0o755)
    const output = join(temp, 'release')
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      publish: 'never',
      config: {
        electronDist,
        directories: { output },
        // Nothing native ships; and rebuilding needs Electron headers from the network.
        npmRebuild: false,
        // The entry file exists only after `npm run build`, which CI runs after the unit tests.
        disableSanityCheckAsar: true,
      },
    })
    const resources = join(output, 'linux-unpacked', 'resources')
    files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((file) => file.split(sep).join('/').replace(/^\//, ''))
    unpacked = join(resources, 'app.asar.unpacked')
  }, PACK_TIMEOUT_MS)

  afterAll(async () => {
    if (temp !== undefined) await rm(temp, { recursive: true, force: true })
  })

  it('ships only package.json, the Vite build and node_modules', () => {
    expect(files).toContain('package.json')
    // Whatever has been built ships (CI runs the unit tests before the build, so out/ may be absent).
    for (const built of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      if (existsSync(join(ROOT, built))) expect(files).toContain(built)
    }
    const firstParty = files.filter((file) => !file.startsWith('node_modules'))
    for (const file of firstParty) expect(file === 'package.json' || file === 'out' || file.startsWith('out/'), file).toBe(true)
  })

  it('ships no test, source map, key, dev-client file or source code', () => {
    const firstParty = files.filter((file) => !file.startsWith('node_modules'))
    for (const file of firstParty) for (const pattern of FORBIDDEN) expect(pattern.test(file), `${file} matches ${pattern}`).toBe(false)
    expect(files.filter((file) => /\.(pem|p12|pfx)$/.test(file) || /(^|\/)dev-client/.test(file))).toEqual([])
  })

  it('ships every run-time dependency and nothing from devDependencies', () => {
    const shipped = topLevelModules(files)
    for (const name of Object.keys(pkg.dependencies)) expect(shipped, name).toContain(name)
    for (const name of Object.keys(pkg.devDependencies)) expect(shipped.has(name), `dev dependency ${name} shipped`).toBe(false)
    const closure = productionClosure()
    for (const name of shipped) expect(closure.has(name), `${name} is not in the production closure`).toBe(true)
  })

  it('unpacks only native add-ons from the archive', async () => {
    if (!existsSync(unpacked)) return
    const walk = async (dir: string): Promise<string[]> => {
      const out: string[] = []
      for (const name of await readdir(dir)) {
        const full = join(dir, name)
        if ((await stat(full)).isDirectory()) out.push(...(await walk(full)))
        else out.push(relative(unpacked, full))
      }
      return out
    }
    for (const file of await walk(unpacked)) expect(file.endsWith('.node'), file).toBe(true)
  })
})

describe("the config's file patterns, through electron-builder's FileMatcher", () => {
  let temp: string
  const KEPT = [
    'package.json',
    'out/main/index.js',
    'out/preload/index.cjs',
    'out/renderer/index.html',
    'out/renderer/assets/index-abc123.js',
  ]
  const CANARIES = [
    'out/main/index.js.map',
    'out/renderer/assets/index-abc123.js.map',
    'out/main/dev-client.json',
    'out/main/dev-client.pem',
    'out/main/signing.key',
    'out/main/.env.local',
    'out/main/outbox.test.js',
    'out/renderer/assets/app.spec.js',
    'server/sandbox/dev-client.json',
    'server/bridge/index.ts',
    'tests/unit/packaging/shipped-files.test.ts',
    'electron/main/index.ts',
    'renderer/src/main.ts',
    'shared/parse.ts',
    'scripts/pack.mjs',
    'build/icon.svg',
    'key.pem',
  ]

  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'outpost-patterns-'))
    for (const file of [...KEPT, ...CANARIES]) {
      await mkdir(dirname(join(temp, file)), { recursive: true })
      await writeFile(join(temp, file), 'x')
    }
  })
  afterAll(async () => {
    if (temp !== undefined) await rm(temp, { recursive: true, force: true })
  })

  it('keeps the build and drops every canary', async () => {
    const filter = new FileMatcher(temp, '', (pattern) => pattern, builderConfig.files).createFilter()
    const kept: string[] = []
    const walk = async (dir: string): Promise<void> => {
      for (const name of await readdir(dir)) {
        const full = join(dir, name)
        const info = statSync(full)
        if (!filter(full, info)) continue
        if (info.isDirectory()) await walk(full)
        else kept.push(relative(temp, full).split(sep).join('/'))
      }
    }
    await walk(temp)
    expect(kept.sort()).toEqual([...KEPT].sort())
  })
})
