/**
 * Main's log: a rotating file in the app's log folder (electron-log: current file plus one
 * archive, each at most LOG_FILE_MAX_BYTES) written synchronously so the last lines before a
 * crash are on disk. Every message passes the redactor first: no secrets, no personal data.
 */
import log from 'electron-log/main'
import { redact } from '../services/logging/redact'

export const LOG_FILE_MAX_BYTES = 1024 * 1024

export interface MainLog {
  info(...params: unknown[]): void
  warn(...params: unknown[]): void
  error(...params: unknown[]): void
}

export function initLogging(options: { readonly packaged: boolean }): MainLog {
  log.transports.file.level = 'info'
  log.transports.file.maxSize = LOG_FILE_MAX_BYTES
  // Synchronous appends: an async queue would lose the lines that explain a crash.
  log.transports.file.sync = true
  log.transports.console.level = options.packaged ? false : 'debug'
  // Runs before any transport: the file, the console and anything added later see only redacted data.
  log.hooks.push((message) => ({ ...message, data: message.data.map((item: unknown) => redact(item)) }))
  log.errorHandler.startCatching({ showDialog: false })
  // Renderer crashes, GPU process loss and the like, with their reasons.
  log.eventLogger.startLogging()
  return log
}
