import { Redis } from 'ioredis'

/**
 * A small Upstash-REST-compatible server over a real Redis, for tests (SRH, the reference
 * emulator, ships only as a Docker image). It speaks what @upstash/redis sends: body-style
 * `POST /` with one command as a JSON array, `POST /pipeline` and `POST /multi-exec` with an array
 * of them, bearer auth (401 otherwise), `{result}` / `{error}` replies (a command error on `/` is a
 * 400), base64-encoded strings when `Upstash-Encoding: base64` is sent, and Upstash's 10 MB
 * request cap. It counts requests and commands, and injects faults on request.
 */

export type Fault =
  /** Answer 503 without running anything. */
  | 'unavailable'
  /** Run the commands, then break the connection instead of answering. */
  | 'cut'
  /** Run the commands, then answer only after `ms` (longer than the client's timeout). */
  | { stallMs: number }

type Command = (string | number)[]

export interface EmulatorStats {
  requests: number
  commands: number
  byPath: Record<string, number>
}

const UPSTASH_MAX_BYTES = 10 * 1024 * 1024

export class UpstashEmulator {
  readonly stats: EmulatorStats = { requests: 0, commands: 0, byPath: {} }
  /** Commands of every request seen, in order (only while `recording`). */
  readonly seen: Command[][] = []
  recording = false
  private readonly faults: { fault: Fault; match: (commands: Command[]) => boolean }[] = []
  private readonly server: ReturnType<typeof Bun.serve>
  private readonly redis: Redis

  constructor(
    readonly token: string,
    redisUrl: string,
  ) {
    // RESP2, as Upstash's REST replies are: flat arrays (WITHSCORES pairs are not nested).
    this.redis = new Redis(redisUrl, { protocol: 2, enableAutoPipelining: false })
    this.server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => this.handle(req) })
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`
  }

  /** An `upstash+http://` broker URL for this server (extra query parameters appended). */
  brokerUrl(params: Record<string, string | number> = {}): string {
    const query = new URLSearchParams()
    for (const [k, v] of Object.entries(params)) query.set(k, String(v))
    const q = query.size > 0 ? `?${query}` : ''
    return `upstash+http://${encodeURIComponent(this.token)}@127.0.0.1:${this.server.port}${q}`
  }

  /** The next request whose commands satisfy `match` (any, by default) meets `fault`, once. */
  injectOnce(fault: Fault, match: (commands: Command[]) => boolean = () => true): void {
    this.faults.push({ fault, match })
  }

  /** SCRIPT FLUSH on the backing Redis: the next EVALSHA of every script gets NOSCRIPT. */
  async flushScripts(): Promise<void> {
    await this.redis.script('FLUSH')
  }

  resetStats(): void {
    this.stats.requests = 0
    this.stats.commands = 0
    this.stats.byPath = {}
  }

  async close(): Promise<void> {
    this.server.stop(true)
    await this.redis.quit()
  }

  private async handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname
    if (req.method !== 'POST') return json({ error: 'ERR only POST is emulated' }, 405)
    if (req.headers.get('authorization') !== `Bearer ${this.token}`)
      return json({ error: 'Unauthorized' }, 401)
    const text = await req.text()
    if (Buffer.byteLength(text) > UPSTASH_MAX_BYTES)
      return json({ error: 'ERR max request size exceeded' }, 400)
    const body = JSON.parse(text) as Command | Command[]
    const commands = path === '/' ? [body as Command] : (body as Command[])
    this.stats.requests++
    this.stats.commands += commands.length
    this.stats.byPath[path] = (this.stats.byPath[path] ?? 0) + 1
    if (this.recording) this.seen.push(commands)
    const faultAt = this.faults.findIndex((f) => f.match(commands))
    const fault = faultAt === -1 ? null : this.faults.splice(faultAt, 1)[0]?.fault
    if (fault === 'unavailable') return json({ error: 'Service Unavailable' }, 503)
    const base64 = req.headers.get('upstash-encoding')?.toLowerCase() === 'base64'
    const response = await this.execute(path, commands, base64)
    if (fault === 'cut') return brokenResponse()
    if (fault && typeof fault === 'object') await Bun.sleep(fault.stallMs)
    return response
  }

  private async execute(path: string, commands: Command[], base64: boolean): Promise<Response> {
    const encode = (v: unknown) => (base64 ? encodeStrings(v) : v)
    if (path === '/') {
      const [reply] = await this.run(commands)
      return reply?.error !== undefined ? json(reply, 400) : json({ result: encode(reply?.result) })
    }
    if (path === '/pipeline') {
      const replies = await this.run(commands)
      return json(replies.map((r) => (r.error !== undefined ? r : { result: encode(r.result) })))
    }
    if (path === '/multi-exec') {
      const multi = this.redis.multi()
      for (const [name, ...args] of commands) multi.call(String(name), ...args.map(String))
      const results = (await multi.exec().catch((err: Error) => err)) ?? []
      if (results instanceof Error) return json({ error: results.message }, 400)
      return json(results.map(([err, r]) => (err ? { error: err.message } : { result: encode(r) })))
    }
    return json({ error: `ERR unknown path ${path}` }, 404)
  }

  /** One command after another, on one connection: a pipeline runs in order, not atomically. */
  private async run(commands: Command[]): Promise<{ result?: unknown; error?: string }[]> {
    const out: { result?: unknown; error?: string }[] = []
    for (const [name, ...args] of commands) {
      try {
        out.push({ result: await this.redis.call(String(name), ...args.map(String)) })
      } catch (err) {
        out.push({ error: (err as Error).message })
      }
    }
    return out
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

/**
 * As Upstash with `Upstash-Encoding: base64`: every string reply is base64 (UTF-8 bytes), except the
 * status reply "OK", which @upstash/redis's decoder passes through as is; numbers and nulls stay.
 */
function encodeStrings(v: unknown): unknown {
  if (typeof v === 'string') return v === 'OK' ? v : Buffer.from(v, 'utf8').toString('base64')
  if (Array.isArray(v)) return v.map(encodeStrings)
  return v
}

/** A 200 whose body breaks off: the client saw the commands run but never gets their replies. */
function brokenResponse(): Response {
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"resu'))
      controller.error(new Error('connection cut by the emulator'))
    },
  })
  return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } })
}
