import { describe, expect, it } from 'vitest'
import { createSendGate, createTokenBucket, DEFAULT_RATE_PER_SECOND } from '../../../../renderer/src/sync/send-gate'

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

  it('remembers a server that answers 5xx as down until it answers properly again', () => {
    const gate = createSendGate(() => 1000)
    gate.observe({ kind: 'transient', reason: 'server', status: 503, message: 'Service Unavailable' })
    expect(gate.serverDown).toBe(true)
    expect(gate.networkDown).toBe(false)
    // Other answers (a refused request, a 429) say nothing about the server being down.
    gate.observe({ kind: 'transient', reason: 'rate_limited', status: 429, message: 'slow down' })
    expect(gate.serverDown).toBe(false)
    gate.observe({ kind: 'transient', reason: 'server', status: 502, message: 'Bad Gateway' })
    gate.observe(null)
    expect(gate.serverDown).toBe(false)
  })
})

describe('send gate rate cap', () => {
  it('starts empty, so a restarted engine adds no second burst; a quiet second refills a burst of the rate', () => {
    let now = 0
    const bucket = createTokenBucket(10, () => now)
    // At start: the first request waits one token's time (100 ms at 10 a second).
    expect(bucket.take()).toBe(100)
    now = 1000
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(0)
    expect(bucket.take()).toBe(100)
    now = 1100
    expect(bucket.take()).toBe(0)
  })

  it('holds 13 requests at 10 a second to that pace; no cap when the rate is unbounded', async () => {
    const gate = createSendGate(Date.now, 10)
    const started = Date.now()
    for (let i = 0; i < 13; i++) await gate.untilSendable()
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200)
    const unbounded = createSendGate(Date.now, Number.POSITIVE_INFINITY)
    const quick = Date.now()
    for (let i = 0; i < 1000; i++) await unbounded.untilSendable()
    expect(Date.now() - quick).toBeLessThan(1000)
  })
})

describe('send gate rate cap backs off on 429 (AIMD)', () => {
  const tooMany = { kind: 'transient', reason: 'rate_limited', status: 429, message: 'rate limit exceeded' } as const

  it('halves the rate at each 429 and gives one request a second back per success, never above the cap', () => {
    const now = 0
    const gate = createSendGate(() => now, 100)
    gate.observe(tooMany)
    expect(gate.ratePerSecond).toBe(50)
    gate.observe(tooMany)
    expect(gate.ratePerSecond).toBe(25)
    for (let i = 0; i < 10; i++) gate.observe(null)
    expect(gate.ratePerSecond).toBe(35)
    for (let i = 0; i < 500; i++) gate.observe(null)
    expect(gate.ratePerSecond).toBe(100)
    // Other failures say nothing about the rate.
    gate.observe({ kind: 'transient', reason: 'server', status: 503, message: 'down' })
    expect(gate.ratePerSecond).toBe(100)
    expect(createSendGate(() => now).ratePerSecond).toBe(DEFAULT_RATE_PER_SECOND)
  })

  it('after a 429 spends no burst: the next request waits for the slower rate', () => {
    let now = 0
    const bucket = createTokenBucket(100, () => now)
    now = 1000
    for (let i = 0; i < 100; i++) expect(bucket.take()).toBe(0)
    bucket.slowDown()
    // 50 a second: the next token in 20 ms, not at once.
    expect(bucket.take()).toBe(20)
    now = 1020
    expect(bucket.take()).toBe(0)
  })

  it('without a configured cap, the first 429 starts one at half the rate of the last second', () => {
    let now = 0
    const bucket = createTokenBucket(Number.POSITIVE_INFINITY, () => now)
    for (let i = 0; i < 600; i++) {
      now = i
      expect(bucket.take()).toBe(0)
    }
    bucket.slowDown()
    expect(bucket.rate).toBe(300)
    for (let i = 0; i < 20; i++) bucket.speedUp()
    expect(bucket.rate).toBe(320)
  })
})
