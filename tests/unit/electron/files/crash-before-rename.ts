// Run as a child process by files.test.ts: starts an atomic write and dies (SIGKILL) once the
// temporary file is written and flushed but before the rename, as a crash or power cut would.
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { writeFileAtomic } from '../../../../electron/services/files'

const [target, content] = process.argv.slice(2)
if (target === undefined || content === undefined) throw new Error('usage: crash-before-rename <target> <content>')
fs.promises.rename = async () => {
  process.kill(process.pid, 'SIGKILL')
  await new Promise(() => undefined)
}
syncBuiltinESMExports()
await writeFileAtomic(target, content)
