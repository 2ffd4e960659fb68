// ui_initial_js_kb counts the entry script and the chunks index.html preloads, not the
// screens and languages that load later.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { initialJsKb, initialScripts } from '../../../bench/initial-js'

describe('initial JS', () => {
  let dir = ''
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('adds the entry and its preloads, and leaves lazy chunks out', async () => {
    dir = await mkdtemp(join(tmpdir(), 'outpost-initial-js-'))
    await mkdir(join(dir, 'assets'))
    const html = [
      '<script type="module" crossorigin src="./assets/index-a.js"></script>',
      '<link rel="modulepreload" crossorigin href="./assets/vendor-b.js">',
      '<link rel="stylesheet" crossorigin href="./assets/index-c.css">',
    ].join('\n')
    await writeFile(join(dir, 'index.html'), html)
    await writeFile(join(dir, 'assets', 'index-a.js'), 'x'.repeat(1500))
    await writeFile(join(dir, 'assets', 'vendor-b.js'), 'x'.repeat(2000))
    await writeFile(join(dir, 'assets', 'index-c.css'), 'x'.repeat(9000))
    await writeFile(join(dir, 'assets', 'SettingsView-d.js'), 'x'.repeat(50_000))
    expect(initialScripts(html)).toEqual(['./assets/index-a.js', './assets/vendor-b.js'])
    expect(initialJsKb(dir)).toBe(3.5)
  })

  it('refuses an index.html without a module script', async () => {
    dir = await mkdtemp(join(tmpdir(), 'outpost-initial-js-'))
    await writeFile(join(dir, 'index.html'), '<html></html>')
    expect(() => initialJsKb(dir)).toThrow('no module script')
  })
})
