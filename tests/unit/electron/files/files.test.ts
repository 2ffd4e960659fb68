// The main process's file module on real temp dirs: atomic, flushed writes that survive a crash
// before the rename, and JSON reads that tell a missing file from a bad one without losing it.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { FileReadError, isMissing, readJsonFile, writeFileAtomic } from '../../../../electron/services/files'

const CRASH_FIXTURE = resolve(import.meta.dirname, 'crash-before-rename.ts')
const Note = z.strictObject({ text: z.string().min(1) })

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outpost-files-'))
})
afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

async function readError(promise: Promise<unknown>): Promise<FileReadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof FileReadError)) throw new Error(`expected a FileReadError, got ${String(error)}`)
  return error
}

describe('writeFileAtomic', () => {
  it('creates missing folders, replaces the content and leaves only the target, owner-only', async () => {
    const path = join(dir, 'a', 'b', 'note.json')
    await writeFileAtomic(path, JSON.stringify({ text: 'first' }))
    await writeFileAtomic(path, Buffer.from(JSON.stringify({ text: 'second' })))
    expect(await readJsonFile(path, Note)).toEqual({ kind: 'ok', value: { text: 'second' } })
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['note.json'])
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600)
  })

  it('lets many overlapping writes to one file all succeed, ending with one whole content', async () => {
    const path = join(dir, 'note.json')
    const texts = Array.from({ length: 30 }, (_, i) => `${i}`.repeat(5_000))
    await Promise.all(texts.map((text) => writeFileAtomic(path, JSON.stringify({ text }))))
    const read = await readJsonFile(path, Note)
    expect(read.kind === 'ok' && texts.includes(read.value.text)).toBe(true)
    expect(await readdir(dir)).toEqual(['note.json'])
  })

  it('flushes the new content before the rename and the folder after it', async () => {
    const path = join(dir, 'note.json')
    await writeFile(path, 'old')
    const probe = await open(path, 'r')
    const fileHandle = Object.getPrototypeOf(probe) as { sync(): Promise<void> }
    await probe.close()
    // What the target holds at each flush: 'old' while the temporary file is flushed, 'new' once the folder is.
    const seenAtSync: string[] = []
    const sync = fileHandle.sync
    vi.spyOn(fileHandle, 'sync').mockImplementation(async function (this: unknown) {
      seenAtSync.push(readFileSync(path, 'utf8'))
      return sync.call(this)
    })
    await writeFileAtomic(path, 'new')
    expect(seenAtSync).toEqual(process.platform === 'win32' ? ['old'] : ['old', 'new'])
  })

  it('leaves the old content readable when the process dies between write and rename', async () => {
    const path = join(dir, 'note.json')
    await writeFileAtomic(path, JSON.stringify({ text: 'old' }))
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_FIXTURE, path, JSON.stringify({ text: 'new' })], { stdio: 'ignore' })
    const signal = await new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, s) => done(s)))
    expect(signal).toBe('SIGKILL')
    // The crash left a flushed temporary file beside the target; the target is untouched.
    const names = await readdir(dir)
    expect(names).toHaveLength(2)
    const temporary = names.find((name) => name !== 'note.json') ?? ''
    expect(JSON.parse(await readFile(join(dir, temporary), 'utf8'))).toEqual({ text: 'new' })
    expect(await readJsonFile(path, Note)).toEqual({ kind: 'ok', value: { text: 'old' } })
    // And the next write goes through.
    await writeFileAtomic(path, JSON.stringify({ text: 'newer' }))
    expect(await readJsonFile(path, Note)).toEqual({ kind: 'ok', value: { text: 'newer' } })
  })

  it('rejects a write the disk refuses and removes its temporary file', async () => {
    await writeFile(join(dir, 'taken'), 'a file where a folder should be')
    await expect(writeFileAtomic(join(dir, 'taken', 'note.json'), 'x')).rejects.toThrow()
    await mkdir(join(dir, 'target-is-a-folder'))
    await expect(writeFileAtomic(join(dir, 'target-is-a-folder'), 'x')).rejects.toThrow()
    expect((await readdir(dir)).sort()).toEqual(['taken', 'target-is-a-folder'])
  })
})

describe('readJsonFile', () => {
  it('reads a missing file (or folder) as missing', async () => {
    expect(await readJsonFile(join(dir, 'none.json'), Note)).toEqual({ kind: 'missing' })
    expect(await readJsonFile(join(dir, 'no-folder', 'none.json'), Note)).toEqual({ kind: 'missing' })
  })

  it('names the file and the problem for content that is not JSON, and keeps the file', async () => {
    const path = join(dir, 'note.json')
    await writeFile(path, '{ not json')
    const error = await readError(readJsonFile(path, Note))
    expect(error).toMatchObject({ file: path, problem: 'not-json' })
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: `))
    expect(await readFile(path, 'utf8')).toBe('{ not json')
  })

  it('names the field that does not fit the schema, under the given label, and keeps the file', async () => {
    const path = join(dir, 'note.json')
    await writeFile(path, JSON.stringify({ text: '' }))
    const error = await readError(readJsonFile(path, Note, { label: 'note.json' }))
    expect(error).toMatchObject({ file: path, problem: 'invalid', issues: [{ path: 'text', message: expect.any(String) }] })
    expect(error.message).toMatch(/^note\.json: text: /)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ text: '' })
  })

  it('decodes stored bytes, and never echoes content that does not decode', async () => {
    const path = join(dir, 'secret.bin')
    const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a))
    const decode = (b: Buffer) => xor(b).toString('utf8')
    await writeFile(path, xor(Buffer.from(JSON.stringify({ text: 'kept' }))))
    expect(await readJsonFile(path, Note, { decode })).toEqual({ kind: 'ok', value: { text: 'kept' } })
    await writeFile(path, 'hunter2-hunter2')
    const error = await readError(readJsonFile(path, Note, { decode }))
    expect(error.problem).toBe('undecodable')
    expect(error.message).toContain(path)
    expect(error.message).not.toMatch(/hunter2|2\?/)
    const throwing = await readError(
      readJsonFile(path, Note, {
        decode: () => {
          throw new Error('hunter2 key mismatch')
        },
      }),
    )
    expect(throwing.problem).toBe('undecodable')
    expect(throwing.message).not.toContain('hunter2')
  })

  it('reports a file the disk refuses as unreadable, with the error code', async () => {
    await mkdir(join(dir, 'folder.json'))
    const error = await readError(readJsonFile(join(dir, 'folder.json'), Note))
    expect(error.problem).toBe('unreadable')
    expect(error.message).toMatch(/folder\.json cannot be read: EISDIR/)
    if (process.platform !== 'win32' && process.getuid?.() !== 0) {
      const path = join(dir, 'locked.json')
      await writeFile(path, JSON.stringify({ text: 'x' }))
      await chmod(path, 0o000)
      expect(await readError(readJsonFile(path, Note))).toMatchObject({ problem: 'unreadable', message: expect.stringContaining('EACCES') })
    }
  })
})

describe('isMissing', () => {
  it('is true only for ENOENT', () => {
    expect(isMissing(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(true)
    expect(isMissing(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe(false)
    expect(isMissing('ENOENT')).toBe(false)
    expect(isMissing(null)).toBe(false)
  })
})
