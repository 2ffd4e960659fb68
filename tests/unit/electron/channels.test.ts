import { describe, expect, it } from 'vitest'
import { EVENT_NAMES, METHOD_NAMES, eventChannelName, methodChannelName } from '../../../shared/ipc/channels'
import { IPC_EVENTS, IPC_METHODS, eventChannel, methodChannel } from '../../../shared/ipc/contract'

describe('preload channel lists', () => {
  it('name exactly the contract methods and events, on the same wire channels', () => {
    expect([...METHOD_NAMES].sort()).toEqual([...IPC_METHODS].sort())
    expect([...EVENT_NAMES].sort()).toEqual([...IPC_EVENTS].sort())
    for (const method of IPC_METHODS) expect(methodChannelName(method)).toBe(methodChannel(method))
    for (const event of IPC_EVENTS) expect(eventChannelName(event)).toBe(eventChannel(event))
  })
})
