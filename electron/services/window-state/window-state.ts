/**
 * The main window's size and position across restarts: read from a small JSON file,
 * validated, and only reused when it still lands on a connected display (a laptop
 * unplugged from its monitor must not open the window off-screen).
 */
import { z } from 'zod'
import { readJsonFile, writeFileAtomic } from '../files'

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const

const BoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
})
export type Bounds = z.infer<typeof BoundsSchema>
const WindowStateSchema = z.object({ bounds: BoundsSchema, maximized: z.boolean().default(false) })
export type WindowState = z.infer<typeof WindowStateSchema>

export async function loadWindowState(path: string): Promise<WindowState | undefined> {
  try {
    const read = await readJsonFile(path, WindowStateSchema)
    return read.kind === 'ok' ? read.value : undefined
  } catch {
    return undefined // first start, or a torn file: default size, no harm done
  }
}

export async function saveWindowState(path: string, state: WindowState): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(state))
}

/** The saved bounds if their centre lies on one of the work areas, else undefined (let the OS place it). */
export function visibleBounds(saved: Bounds | undefined, workAreas: readonly Bounds[]): Bounds | undefined {
  if (!saved) return undefined
  const cx = saved.x + saved.width / 2
  const cy = saved.y + saved.height / 2
  const onScreen = workAreas.some((area) => cx >= area.x && cx < area.x + area.width && cy >= area.y && cy < area.y + area.height)
  return onScreen
    ? { ...saved, width: Math.max(saved.width, MIN_WINDOW_SIZE.width), height: Math.max(saved.height, MIN_WINDOW_SIZE.height) }
    : undefined
}
