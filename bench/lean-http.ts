/**
 * A deliberately small HTTP/1.1 client for load generators: one kept-alive TCP connection
 * per `LeanConnection`, one request at a time on it, answers framed by `content-length`
 * (what the bridge always sends). It parses the status line and headers and hands back the
 * body, nothing else, so the generator's own CPU per request stays small: on a shared
 * machine, what the clients spend is taken from the server being measured, and a thousand
 * long-polls that in real use sit on a thousand devices here share one event loop.
 */
import { connect, type Socket } from 'node:net'

export interface LeanRequest {
  readonly method?: string
  /** Path and query. */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

export interface LeanAnswer {
  readonly status: number
  readonly body: string
}

const HEADER_END = Buffer.from('\r\n\r\n')
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i
const CHUNKED = /\r\ntransfer-encoding:[ \t]*chunked/i

export class LeanConnection {
  private readonly socket: Socket
  private readonly ready: Promise<void>
  private buffered: Buffer = Buffer.alloc(0)
  private pending: { resolve: (answer: LeanAnswer) => void; reject: (error: Error) => void } | undefined
  private failure: Error | undefined

  constructor(readonly url: string) {
    const { hostname, port } = new URL(url)
    this.socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''))
    this.socket.setNoDelay(true)
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve)
      this.socket.once('error', reject)
    })
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk))
    this.socket.on('error', (error) => this.fail(error))
    this.socket.on('close', () => this.fail(new Error('connection closed by the server')))
  }

  async request(request: LeanRequest): Promise<LeanAnswer> {
    await this.ready
    if (this.failure !== undefined) throw this.failure
    if (this.pending !== undefined) throw new Error('one request at a time per connection')
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8')
    let head = `${request.method ?? 'GET'} ${request.path} HTTP/1.1\r\nhost: ${new URL(this.url).host}\r\n`
    for (const [name, value] of Object.entries(request.headers ?? {})) head += `${name}: ${value}\r\n`
    head += body === undefined ? '\r\n' : `content-length: ${body.length}\r\n\r\n`
    return new Promise<LeanAnswer>((resolve, reject) => {
      this.pending = { resolve, reject }
      this.socket.write(body === undefined ? head : Buffer.concat([Buffer.from(head, 'latin1'), body]))
    })
  }

  /** False once the server closed it (e.g. its keep-alive timeout) or it failed. */
  get usable(): boolean {
    return this.failure === undefined
  }

  close(): void {
    this.socket.destroy()
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    const headerEnd = this.buffered.indexOf(HEADER_END)
    if (headerEnd === -1) return
    const head = this.buffered.toString('latin1', 0, headerEnd)
    if (CHUNKED.test(head)) return this.fail(new Error('chunked answers are not supported by this client'))
    const length = CONTENT_LENGTH.exec(head)?.[1]
    if (length === undefined) return this.fail(new Error(`answer without content-length: ${head.split('\r\n')[0]}`))
    const bodyStart = headerEnd + HEADER_END.length
    const bodyEnd = bodyStart + Number(length)
    if (this.buffered.length < bodyEnd) return
    const answer = { status: Number(head.slice(9, 12)), body: this.buffered.toString('utf8', bodyStart, bodyEnd) }
    this.buffered = this.buffered.subarray(bodyEnd)
    const pending = this.pending
    this.pending = undefined
    pending?.resolve(answer)
  }

  private fail(error: Error): void {
    this.failure ??= error
    const pending = this.pending
    this.pending = undefined
    pending?.reject(error)
  }
}

/** Connections to one server, each used by one caller at a time (a client, or a worker of a pool). */
export class LeanPool {
  private readonly idle: LeanConnection[] = []
  private readonly all: LeanConnection[] = []

  constructor(private readonly url: string) {}

  async request(request: LeanRequest): Promise<LeanAnswer> {
    let connection = this.idle.pop()
    while (connection !== undefined && !connection.usable) connection = this.idle.pop()
    connection ??= this.open()
    const answer = await connection.request(request)
    this.idle.push(connection)
    return answer
  }

  close(): void {
    for (const connection of this.all) connection.close()
  }

  private open(): LeanConnection {
    const connection = new LeanConnection(this.url)
    this.all.push(connection)
    return connection
  }
}
