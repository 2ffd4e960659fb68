/**
 * Where the built pieces are: the preload next to main in out/, the renderer from the dev
 * server in development (electron-vite sets ELECTRON_RENDERER_URL) or the built files.
 */
import { app } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export interface AppPaths {
  readonly preloadPath: string
  readonly rendererUrl: string
  readonly windowStatePath: string
}

/** Tests and side-by-side dev runs point the app at their own folder (must run before `ready`). */
export const USER_DATA_ENV = 'OUTPOST_USER_DATA_DIR'

export function applyUserDataOverride(env: NodeJS.ProcessEnv = process.env): void {
  const dir = env[USER_DATA_ENV]
  if (dir) app.setPath('userData', dir)
}

export function appPaths(): AppPaths {
  const mainDir = dirname(fileURLToPath(import.meta.url))
  const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  return {
    preloadPath: join(mainDir, '../preload/index.cjs'),
    rendererUrl: devServer ?? pathToFileURL(join(mainDir, '../renderer/index.html')).toString(),
    windowStatePath: join(app.getPath('userData'), 'window-state.json'),
  }
}
