/**
 * A clean quit: the first quit request is held while the runtime stops (the poller
 * abandons its long-poll without advancing the cursor; API calls in flight get a short
 * grace to finish, else their outbox entries simply retry with the same idempotency key).
 */
import { app } from 'electron'

export function stopBeforeQuit(stop: () => Promise<void>, log: (message: string) => void): void {
  let stopping = false
  app.on('before-quit', (event) => {
    if (stopping) return
    stopping = true
    event.preventDefault()
    stop()
      .catch((error: unknown) => log(`shutdown: ${String(error)}`))
      .finally(() => app.quit())
  })
}
