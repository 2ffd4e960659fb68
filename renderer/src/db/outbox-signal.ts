/**
 * "The outbox changed": wakes the drainer after an enqueue, in this tab and (through a
 * BroadcastChannel) in the tab that holds the drain lock. A hint only; the drainer also
 * polls, so a lost signal delays work but never loses it.
 */
type Listener = () => void

const CHANNEL_NAME = 'outpost-outbox'
const listeners = new Set<Listener>()
let channel: BroadcastChannel | null | undefined

function getChannel(): BroadcastChannel | null {
  if (channel === undefined) {
    channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null
    if (channel !== null) channel.onmessage = () => listeners.forEach((l) => l())
  }
  return channel
}

export function notifyOutboxChanged(): void {
  listeners.forEach((l) => l())
  getChannel()?.postMessage('changed')
}

export function onOutboxChanged(listener: Listener): () => void {
  getChannel()
  listeners.add(listener)
  return () => listeners.delete(listener)
}
