/**
 * "The outbox changed": wakes the drainer after an enqueue, in this tab and (through a
 * BroadcastChannel) in the tab that holds the drain lock. A hint only; the drainer also
 * polls, so a lost signal delays work but never loses it.
 */
type Listener = () => void

const CHANNEL_NAME = 'outpost-outbox'
const listeners = new Set<Listener>()

/** The part of BroadcastChannel used here (typed structurally: this module also runs in Node tests). */
interface ChannelLike {
  postMessage(message: unknown): void
  onmessage: ((event: unknown) => void) | null
  unref?: () => void
}
type ChannelConstructor = new (name: string) => ChannelLike
let channel: ChannelLike | null | undefined

function getChannel(): ChannelLike | null {
  if (channel === undefined) {
    const Channel = (globalThis as { BroadcastChannel?: ChannelConstructor }).BroadcastChannel
    channel = Channel === undefined ? null : new Channel(CHANNEL_NAME)
    if (channel !== null) {
      channel.onmessage = () => listeners.forEach((l) => l())
      // In Node an open channel would keep the process alive.
      channel.unref?.()
    }
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
