/**
 * Reads the `code` of a Node file-system error (`ENOENT`, `EACCES`, ...) from an `unknown`
 * caught value, and tells "there is no file yet" apart from every other failure.
 */

/** The error's `code`, or `'EUNKNOWN'` when it carries none. */
export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'EUNKNOWN'
}

/** True when the file (or a folder on its path) does not exist: a first start, not a fault. */
export function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT'
}
