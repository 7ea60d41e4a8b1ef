import { errors, Redis } from '@upstash/redis'
import { CeleriacError } from '../../core/errors.ts'
import type { Logger } from '../../core/logger.ts'
import type { RedisArg } from '../redis/redis-commands.ts'
import type { UpstashTarget } from './upstash-url.ts'

/** Commands per /pipeline request at most (Upstash documents no count limit; the size cap binds). */
const MAX_BATCH = 1_000
const BACKOFF_MS = 100
const MAX_BACKOFF_MS = 1_000

type Reply = { result?: unknown; error?: string }

/** The @upstash/redis client, opened up just enough to send raw commands and pipelines. */
class SdkClient extends Redis {
  send(path: string[], body: unknown): Promise<Reply | Reply[]> {
    return this.client.request({ path, body }) as Promise<Reply | Reply[]>
  }
}

/** A Redis error reply (ERR, NOSCRIPT, WRONGTYPE, ...): the server answered; never retried. */
export class UpstashReplyError extends CeleriacError {
  override name = 'UpstashReplyError'
  constructor(readonly reply: string) {
    super('BROKER', `upstash: ${reply}`)
  }
}

interface Pending {
  command: RedisArg[]
  bytes: number
  resolve: (value: unknown) => void
  reject: (err: Error) => void
}

/**
 * Sends commands over Upstash's REST API through the genuine @upstash/redis HTTP client
 * (bearer token, base64 response decoding). Commands issued in one turn of the event loop share
 * one request: `POST /` for one, `POST /pipeline` for several (in order, not atomic). A request
 * above maxRequestBytes is refused here, before it is sent. Transport failures (network, timeout,
 * 5xx, a cut response) are retried with backoff; every operation is safe to repeat (enqueue dedups
 * by the client-generated task id, settles and renewals are fenced by the lease token).
 */
export class UpstashHttp {
  private readonly sdk: SdkClient
  private pending: Pending[] = []
  private scheduled = false

  constructor(
    private readonly target: UpstashTarget,
    private readonly log: Logger,
  ) {
    this.sdk = new SdkClient({
      url: target.baseUrl,
      token: target.token,
      automaticDeserialization: false,
      enableTelemetry: false,
      retry: { retries: 0 },
      signal: () => AbortSignal.timeout(target.timeoutMs),
    })
  }

  /** Queues one command for this turn's request; resolves with its raw (decoded) reply. */
  send(command: RedisArg[]): Promise<unknown> {
    const bytes = Buffer.byteLength(JSON.stringify(command))
    if (bytes + 2 > this.target.maxRequestBytes) {
      const limit = this.target.maxRequestBytes
      return Promise.reject(
        new CeleriacError(
          'VALIDATION',
          `upstash: a ${String(command[0])} of ${bytes} bytes exceeds the request limit of ${limit} bytes ` +
            '(Upstash refuses requests above 10 MB); enqueue smaller batches or smaller payloads',
        ),
      )
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ command, bytes, resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      setImmediate(() => this.flush())
    })
  }

  private flush(): void {
    const all = this.pending
    this.pending = []
    this.scheduled = false
    let batch: Pending[] = []
    let size = 2
    for (const p of all) {
      if (
        batch.length > 0 &&
        (batch.length >= MAX_BATCH || size + p.bytes + 1 > this.target.maxRequestBytes)
      ) {
        void this.dispatch(batch)
        batch = []
        size = 2
      }
      batch.push(p)
      size += p.bytes + 1
    }
    if (batch.length > 0) void this.dispatch(batch)
  }

  private async dispatch(batch: Pending[]): Promise<void> {
    try {
      const replies = await this.withRetries(batch)
      batch.forEach((p, i) => {
        const reply = replies[i]
        if (reply?.error !== undefined) p.reject(new UpstashReplyError(reply.error))
        else p.resolve(reply?.result ?? null)
      })
    } catch (err) {
      for (const p of batch) p.reject(err as Error)
    }
  }

  private async withRetries(batch: Pending[]): Promise<Reply[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request(batch)
      } catch (err) {
        if (err instanceof UpstashReplyError) return [{ error: err.reply }]
        // The SDK appends the whole command (scripts, payloads) to its messages: keep logs short.
        const message = (err instanceof Error ? err.message : String(err)).split(', command was: ')[0]
        if (attempt >= this.target.retries) {
          throw new CeleriacError(
            'BROKER',
            `upstash: request failed after ${attempt + 1} attempts: ${message}`,
          )
        }
        const delay = Math.min(BACKOFF_MS * 2 ** attempt, MAX_BACKOFF_MS)
        this.log.debug('upstash request failed; retrying', { error: message, attempt, delayMs: delay })
        await Bun.sleep(delay)
      }
    }
  }

  /** One HTTP request. A Redis error answer to a single command comes back as a non-2xx. */
  private async request(batch: Pending[]): Promise<Reply[]> {
    if (batch.length > 1)
      return (await this.sdk.send(
        ['pipeline'],
        batch.map((p) => p.command),
      )) as Reply[]
    try {
      return [(await this.sdk.send([], (batch[0] as Pending).command)) as Reply]
    } catch (err) {
      const reply = redisReply(err)
      if (reply !== null) throw new UpstashReplyError(reply)
      throw err
    }
  }
}

/**
 * The Redis error text of an SDK error, or null for a transport failure. The SDK folds the HTTP
 * status away: a Redis error reply starts with an upper-case code (`ERR `, `NOSCRIPT `); an
 * unparsable body (a proxy's 502 page), a network error or a timeout does not.
 */
function redisReply(err: unknown): string | null {
  if (!(err instanceof errors.UpstashError) || err instanceof errors.UpstashJSONParseError) return null
  const text = err.message.split(', command was: ')[0] ?? ''
  return /^[A-Z][A-Z_]+ /.test(text) ? text : null
}
