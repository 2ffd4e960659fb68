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

export function appPaths(): AppPaths {
  const mainDir = dirname(fileURLToPath(import.meta.url))
  const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  return {
    preloadPath: join(mainDir, '../preload/index.cjs'),
    rendererUrl: devServer ?? pathToFileURL(join(mainDir, '../renderer/index.html')).toString(),
    windowStatePath: join(app.getPath('userData'), 'window-state.json'),
  }
}
