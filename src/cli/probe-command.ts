import { positionals, secondsFlag } from './args.ts'
import type { Command } from './command.ts'
import { UsageError } from './usage-error.ts'

/**
 * The container image has no shell and no curl (distroless), so a Docker or Compose health check
 * cannot call /readyz by itself: it runs the binary instead, which asks the URL and turns the
 * answer into an exit code. Meant for a role's own port on loopback.
 */
function probeUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError(`<url>: expected an http URL like http://127.0.0.1:8080/readyz, got '${text}'`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`<url>: expected http or https, got '${url.protocol.slice(0, -1)}'`)
  }
  return url
}

/** `celeriac probe URL`: exit 0 when the URL answers 2xx in time, 1 otherwise (health checks). */
export const probeCommand: Command = {
  name: 'probe',
  summary: 'Ask a health URL (/healthz, /readyz) and exit 0 on a 2xx answer: for container health checks.',
  args: '<url> [--timeout S]',
  details: [
    'Example (compose healthcheck): ["CMD", "/celeriac", "probe", "http://127.0.0.1:8080/readyz"]',
    'Exit code 1 when the answer is not 2xx or does not come within the timeout.',
  ],
  flags: {
    timeout: { type: 'string', value: 'SECONDS', description: 'how long to wait for the answer (default 2)' },
  },
  async run(ctx, args) {
    const [text] = positionals(args, '<url>')
    const url = probeUrl(text as string)
    const timeoutMs = secondsFlag(args, 'timeout', 60) ?? 2_000
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' })
      await response.body?.cancel()
      const line = `${url.href}: ${response.status}`
      if (response.ok) {
        ctx.io.out(line)
        return 0
      }
      ctx.io.err(`celeriac: ${line}`)
    } catch (err) {
      ctx.io.err(`celeriac: ${url.href}: ${err instanceof Error ? err.message : String(err)}`)
    }
    return 1
  },
}
