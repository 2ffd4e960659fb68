// Main's log set-up with electron-log mocked: a size-capped, synchronously written file,
// errors caught without a dialog, and a hook that redacts every message before any transport.
import { describe, expect, it, vi } from 'vitest'

const fake = vi.hoisted(() => ({
  transports: { file: { level: 'silly' as string | false, maxSize: 0, sync: false }, console: { level: 'silly' as string | false } },
  hooks: [] as ((message: { data: unknown[] }) => { data: unknown[] } | false)[],
  errorHandler: { startCatching: vi.fn() },
  eventLogger: { startLogging: vi.fn() },
  info: vi.fn(),
  warn: vi.fn(),
  error: vi.fn(),
}))
vi.mock('electron-log/main', () => ({ default: fake }))
// vi.mock is hoisted above this import.
import { initLogging, LOG_FILE_MAX_BYTES } from '../../../../electron/main/logging'

describe('initLogging', () => {
  it('writes a capped file synchronously, quiet console when packaged, catches errors without a dialog', () => {
    initLogging({ packaged: true })
    expect(fake.transports.file).toEqual({ level: 'info', maxSize: LOG_FILE_MAX_BYTES, sync: true })
    expect(fake.transports.console.level).toBe(false)
    expect(fake.errorHandler.startCatching).toHaveBeenCalledWith({ showDialog: false })
    expect(fake.eventLogger.startLogging).toHaveBeenCalled()
  })

  it('redacts secrets and personal data in every message', () => {
    const hook = fake.hooks.at(-1)
    if (hook === undefined) throw new Error('no hook installed')
    const out = hook({ data: ['token request', { client_secret: 's3cr3t', email: 'anna@example.com', status: 401 }, 'Bearer abc.def'] })
    expect(out).toEqual({ data: ['token request', { client_secret: '[redacted]', email: '[redacted]', status: 401 }, 'Bearer [redacted]'] })
  })
})
