/**
 * The writer thread's side of `sqlite-writer.ts`: its own connection to the store's file,
 * one request at a time, each answered with its result or its error.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { assertNever } from '../../../shared/assert-never'
import { openSqliteConnection } from './sqlite-connection'
import { createSqliteWrites } from './sqlite-writes'
import type { WriterMessage, WriterReply, WriterResults } from './sqlite-writer'

const port = parentPort
if (port === null) throw new Error('sqlite-writer-thread must run in a worker thread')
const { file } = workerData as { file: string }
const db = openSqliteConnection(file)
const writes = createSqliteWrites(db)

function handle(message: WriterMessage): WriterResults[WriterMessage['kind']] {
  switch (message.kind) {
    case 'append':
      return writes.appendGroup(message.deliveries)
    case 'sighting':
      writes.recordSighting(message.seq, message.at)
      return null
    case 'compact':
      return writes.compact(message.policy, message.at)
    case 'close':
      db.close()
      return null
    default:
      return assertNever(message, 'writer request')
  }
}

port.on('message', (message: WriterMessage) => {
  let reply: WriterReply
  try {
    reply = { id: message.id, ok: true, value: handle(message) }
  } catch (error) {
    reply = { id: message.id, ok: false, error }
  }
  port.postMessage(reply)
  if (message.kind === 'close') port.close()
})
