/**
 * The start's order: the first screen's content goes first. Work that can wait a moment (the
 * sync engine: journal restore, outbox scan, reconcile check, live updates) begins once that
 * screen said it is shown, or after FIRST_SCREEN_WAIT_MS at most; at 100,000 cached users it
 * otherwise competes with the first page for the main thread and IndexedDB.
 */
export const FIRST_SCREEN_WAIT_MS = 1_000

let markShown!: () => void
const shown = new Promise<void>((resolve) => (markShown = resolve))

/** The first screen's content is on screen (the users list: its first page is read). */
export function firstScreenShown(): void {
  markShown()
}

/** Resolves once the first screen is shown, or after FIRST_SCREEN_WAIT_MS. */
export function afterFirstScreen(waitMs = FIRST_SCREEN_WAIT_MS): Promise<void> {
  return Promise.race([shown, new Promise<void>((resolve) => setTimeout(resolve, waitMs))])
}
