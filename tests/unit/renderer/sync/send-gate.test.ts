import { describe, expect, it } from 'vitest'
import { createSendGate } from '../../../../renderer/src/sync/send-gate'

describe('send gate', () => {
  it('holds runs while offline and lets them go when back online', async () => {
    const gate = createSendGate(Date.now)
    gate.setOnline(false)
    let through = false
    const waiting = gate.untilSendable().then(() => (through = true))
    await new Promise((r) => setTimeout(r, 20))
    expect(through).toBe(false)
    gate.setOnline(true)
    gate.open()
    await waiting
    expect(through).toBe(true)
  })

  it('holds runs until a Retry-After pause ends, by itself', async () => {
    const gate = createSendGate(Date.now)
    const until = Date.now() + 60
    gate.pauseUntil(until)
    gate.pauseUntil(until - 50) // a shorter pause never shortens the longer one
    expect(gate.pausedUntil).toBe(until)
    await gate.untilSendable()
    expect(Date.now()).toBeGreaterThanOrEqual(until)
  })

  it('closing lets every waiter go at once', async () => {
    const gate = createSendGate(Date.now)
    gate.setOnline(false)
    const waiting = gate.untilSendable()
    gate.close()
    await waiting
  })

  it('remembers what answers said: network down, last error, last success', () => {
    let now = 1000
    const gate = createSendGate(() => now)
    gate.observe({ kind: 'transient', reason: 'network', message: 'connection refused' })
    expect(gate.networkDown).toBe(true)
    expect(gate.lastError).toBe('connection refused')
    now = 2000
    gate.observe(null)
    expect(gate.networkDown).toBe(false)
    expect(gate.lastSuccess).toBe(2000)
    gate.observe({ kind: 'validation', status: 422, message: 'bad', fieldErrors: [] })
    expect(gate.networkDown).toBe(false)
    expect(gate.lastError).toBe('bad')
  })
})

describe('send gate rate cap', () => {
  it('lets a burst through, then one request per 1/rate seconds; no cap when the rate is unbounded', async () => {
    const gate = createSendGate(Date.now, 10)
    const started = Date.now()
    for (let i = 0; i < 13; i++) await gate.untilSendable()
    // 10 at once, 3 more at 10 per second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    const unbounded = createSendGate(Date.now, Number.POSITIVE_INFINITY)
    const quick = Date.now()
    for (let i = 0; i < 1000; i++) await unbounded.untilSendable()
    expect(Date.now() - quick).toBeLessThan(1000)
  })
})
