/**
 * The main process's one way to keep small files: atomic, flushed writes and schema-checked
 * JSON reads. Settings, secrets, the poller's cursor, window state and the journal use it.
 */
export { writeFileAtomic } from './atomic-write'
export { errorCode, isMissing } from './missing'
export { FileReadError, readJsonFile } from './read-json'
export type { FileProblem, JsonFileRead, ReadJsonOptions } from './read-json'
