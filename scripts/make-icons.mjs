// Renders build/icon.svg — the one source image — into every icon the installers and the
// tray need: PNG sizes, icon.ico (Windows), icon.icns (macOS) and the tray images.
// Plain Node (zlib PNG encoder, supersampled rasteriser for rect/circle/polygon) so it runs
// anywhere without native image libraries. Run after editing the SVG: `node scripts/make-icons.mjs`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const buildDir = join(root, 'build')
const SUPERSAMPLE = 4 // 4x4 samples per pixel: smooth edges without a real anti-aliasing pass

// ---- parse the SVG subset -------------------------------------------------------------
function attrs(tag) {
  const out = {}
  for (const m of tag.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) out[m[1]] = m[2]
  return out
}

function hexColour(fill) {
  const m = /^#([0-9a-f]{6})$/i.exec(fill ?? '')
  if (!m) throw new Error(`make-icons: only #rrggbb fills are supported, got ${fill}`)
  const n = parseInt(m[1], 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

function parseSvg(text) {
  const svg = attrs(/<svg[^>]*>/.exec(text)[0])
  const [, , width, height] = svg.viewBox.split(/\s+/).map(Number)
  const shapes = []
  const body = text.replace(/<!--[\s\S]*?-->/g, '')
  for (const m of body.matchAll(/<(rect|circle|polygon)\b[^>]*>/g)) {
    const a = attrs(m[0])
    const base = { colour: hexColour(a.fill), foreground: (a.class ?? '').split(/\s+/).includes('fg') }
    if (m[1] === 'rect') shapes.push({ ...base, kind: 'rect', x: +a.x, y: +a.y, w: +a.width, h: +a.height, r: +(a.rx ?? 0) })
    else if (m[1] === 'circle') shapes.push({ ...base, kind: 'circle', cx: +a.cx, cy: +a.cy, r: +a.r })
    else
      shapes.push({
        ...base,
        kind: 'polygon',
        pts: a.points
          .trim()
          .split(/\s+/)
          .map((p) => p.split(',').map(Number)),
      })
  }
  return { width, height, shapes }
}

// ---- rasterise ---------------------------------------------------------------------------
function inside(s, x, y) {
  switch (s.kind) {
    case 'circle':
      return (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r ** 2
    case 'rect': {
      if (x < s.x || y < s.y || x > s.x + s.w || y > s.y + s.h) return false
      const cx = Math.min(Math.max(x, s.x + s.r), s.x + s.w - s.r)
      const cy = Math.min(Math.max(y, s.y + s.r), s.y + s.h - s.r)
      return (x - cx) ** 2 + (y - cy) ** 2 <= s.r ** 2
    }
    case 'polygon': {
      let hit = false
      for (let i = 0, j = s.pts.length - 1; i < s.pts.length; j = i++) {
        const [xi, yi] = s.pts[i]
        const [xj, yj] = s.pts[j]
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit
      }
      return hit
    }
    default:
      throw new Error(`make-icons: unknown shape ${s.kind}`)
  }
}

/** RGBA pixels; `template` draws only foreground shapes in black (macOS tray template image). */
function render(image, size, template = false) {
  const shapes = template ? image.shapes.filter((s) => s.foreground) : image.shapes
  const px = Buffer.alloc(size * size * 4)
  const scale = image.width / size
  const n = SUPERSAMPLE * SUPERSAMPLE
  for (let py = 0; py < size; py++) {
    for (let pxi = 0; pxi < size; pxi++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (pxi + (sx + 0.5) / SUPERSAMPLE) * scale
          const y = (py + (sy + 0.5) / SUPERSAMPLE) * scale
          let colour = null
          for (const s of shapes) if (inside(s, x, y)) colour = template ? [0, 0, 0] : s.colour
          if (colour) {
            r += colour[0]
            g += colour[1]
            b += colour[2]
            a += 1
          }
        }
      }
      const o = (py * size + pxi) * 4
      // Colour averaged over covered samples only (straight alpha), coverage as alpha.
      px[o] = a ? Math.round(r / a) : 0
      px[o + 1] = a ? Math.round(g / a) : 0
      px[o + 2] = a ? Math.round(b / a) : 0
      px[o + 3] = Math.round((a / n) * 255)
    }
  }
  return px
}

// ---- encode ------------------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 255] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** ICO with PNG-compressed entries (supported since Windows Vista). */
function ico(entries) {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(entries.length, 4)
  const dir = Buffer.alloc(16 * entries.length)
  let offset = 6 + dir.length
  entries.forEach(({ size, data }, i) => {
    const o = i * 16
    dir[o] = size >= 256 ? 0 : size
    dir[o + 1] = size >= 256 ? 0 : size
    dir.writeUInt16LE(1, o + 4) // planes
    dir.writeUInt16LE(32, o + 6) // bits per pixel
    dir.writeUInt32LE(data.length, o + 8)
    dir.writeUInt32LE(offset, o + 12)
    offset += data.length
  })
  return Buffer.concat([header, dir, ...entries.map((e) => e.data)])
}

/** ICNS with PNG entries; the OSType names each size (ic11-ic14 are the @2x variants). */
function icns(entries) {
  const parts = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([head, data])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

// ---- main ----------------------------------------------------------------------------------
const image = parseSvg(readFileSync(join(buildDir, 'icon.svg'), 'utf8'))
const cache = new Map()
const pngOf = (size) => {
  if (!cache.has(size)) cache.set(size, png(size, render(image, size)))
  return cache.get(size)
}

const write = (rel, data) => {
  const file = join(buildDir, rel)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, data)
  console.log(`make-icons: ${rel} (${data.length} bytes)`)
}

write('icon.png', pngOf(1024))
for (const size of [16, 32, 48, 64, 128, 256, 512]) write(`icons/${size}x${size}.png`, pngOf(size))
write('icon.ico', ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngOf(size) }))))
write(
  'icon.icns',
  icns(
    [
      ['icp4', 16],
      ['icp5', 32],
      ['icp6', 64],
      ['ic07', 128],
      ['ic08', 256],
      ['ic09', 512],
      ['ic10', 1024],
      ['ic11', 32],
      ['ic12', 64],
      ['ic13', 256],
      ['ic14', 512],
    ].map(([type, size]) => ({ type, data: pngOf(size) })),
  ),
)
// Tray: full colour for Windows/Linux, black template for the macOS menu bar (it tints it).
write('tray/tray.png', pngOf(16))
write('tray/tray@2x.png', pngOf(32))
write('tray/trayTemplate.png', png(16, render(image, 16, true)))
write('tray/trayTemplate@2x.png', png(32, render(image, 32, true)))
