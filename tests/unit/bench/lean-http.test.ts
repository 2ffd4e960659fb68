import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { LeanConnection, LeanPool } from '../../../bench/lean-http'

let server: Server | undefined

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler)
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

describe('the benchmarks\u2019 lean HTTP client', () => {
  it('sends method, path, headers and body, and reads answers split over many packets, one after another on one connection', async () => {
    const seen: Array<{ method?: string; url?: string; auth?: string; body: string; socket: unknown }> = []
    const url = await serve((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, auth: request.headers.authorization, body, socket: request.socket })
        const answer = Buffer.from(JSON.stringify({ echo: body, big: 'é'.repeat(100_000) }), 'utf8')
        response.writeHead(201, { 'content-type': 'application/json', 'content-length': answer.length })
        // Written in pieces, so the answer arrives in several chunks.
        for (let at = 0; at < answer.length; at += 7_000) response.write(answer.subarray(at, at + 7_000))
        response.end()
      })
    })
    const connection = new LeanConnection(url)
    try {
      const first = await connection.request({ method: 'POST', path: '/a?x=1', headers: { authorization: 'Bearer t' }, body: '{"ü":1}' })
      const second = await connection.request({ path: '/b' })
      expect(first.status).toBe(201)
      expect(JSON.parse(first.body)).toMatchObject({ echo: '{"ü":1}' })
      expect((JSON.parse(second.body) as { big: string }).big).toHaveLength(100_000)
      expect(seen.map(({ method, url: path, auth, body }) => ({ method, path, auth, body }))).toEqual([
        { method: 'POST', path: '/a?x=1', auth: 'Bearer t', body: '{"ü":1}' },
        { method: 'GET', path: '/b', auth: undefined, body: '' },
      ])
      expect(seen[1]!.socket).toBe(seen[0]!.socket)
    } finally {
      connection.close()
    }
  })

  it('refuses answers it cannot frame instead of guessing, and a pool replaces a connection the server closed', async () => {
    let requests = 0
    const url = await serve((request, response) => {
      requests += 1
      if (request.url === '/chunked') {
        response.write('part')
        response.end()
        return
      }
      // The first plain answer closes its connection, as a keep-alive timeout would.
      response.writeHead(200, { 'content-length': 2, ...(requests === 1 ? { connection: 'close' } : {}) })
      response.end('ok')
    })
    const pool = new LeanPool(url)
    const connection = new LeanConnection(url)
    try {
      expect((await pool.request({ path: '/plain' })).body).toBe('ok')
      // Until the client has seen the close, a request may still go out on the closed connection and fail.
      await expect.poll(async () => (await pool.request({ path: '/plain' })).body, { timeout: 10_000 }).toBe('ok')
      await expect(connection.request({ path: '/chunked' })).rejects.toThrow(/chunked/)
    } finally {
      pool.close()
      connection.close()
    }
  })
})
