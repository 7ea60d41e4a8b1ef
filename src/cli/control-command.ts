import { type BrokerAdmin, CONTROL_COMMANDS, type ControlReply } from '../brokers/broker.ts'
import { RateLimitText } from '../core/rate-limit.ts'
import { action, booleanFlag, secondsFlag, stringFlag } from './args.ts'
import type { Command } from './command.ts'
import { JSON_FLAG } from './global-flags.ts'
import { offlineAfterMs } from './status-command.ts'
import { UsageError } from './usage-error.ts'

const POLL_MS = 100

/**
 * Collects replies until the timeout, or earlier once every worker that should answer has: the
 * target, or every worker online when the command went out.
 */
async function collectReplies(
  broker: BrokerAdmin,
  seq: number,
  expected: ReadonlySet<string>,
  timeoutMs: number,
): Promise<ControlReply[]> {
  const deadline = Date.now() + timeoutMs
  const replies = new Map<string, ControlReply>()
  for (;;) {
    for (const reply of await broker.readReplies(seq)) replies.set(reply.worker, reply)
    const everyone = expected.size > 0 && [...expected].every((name) => replies.has(name))
    if (everyone || Date.now() >= deadline) return [...replies.values()]
    await Bun.sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())))
  }
}

function rateLimitArgs(task: string, limit: string): Record<string, string | null> {
  if (limit === 'default') return { task, limit: null }
  if (limit !== '0' && !RateLimitText.safeParse(limit).success) {
    throw new UsageError(
      `<limit>: expected a rate like '10/s', '100/m', '5/10s', '0' or 'default', got '${limit}'`,
    )
  }
  return { task, limit }
}

/** `celeriac control ping|shutdown`: commands to workers through the broker, with their replies. */
export const controlCommand: Command = {
  name: 'control',
  summary: 'Send ping, shutdown or rate_limit to workers and print their replies.',
  args: 'ping|shutdown|rate_limit <task> <limit> [--worker NAME] [--timeout S]',
  details: [
    "rate_limit sets a task's limit in the workers ('10/s', '100/m', '0' for none, 'default' for its own).",
    'Exit code 1 when no worker replied within the timeout.',
  ],
  flags: {
    worker: { type: 'string', value: 'NAME', description: 'only this worker (default: all)' },
    timeout: { type: 'string', value: 'SECONDS', description: 'how long to wait for replies (default 2)' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const isRateLimit = args.positionals[0] === 'rate_limit'
    const [command, ...rest] = action(args, CONTROL_COMMANDS, isRateLimit ? ['<task>', '<limit>'] : [])
    const commandArgs = isRateLimit ? rateLimitArgs(rest[0] as string, rest[1] as string) : {}
    const target = stringFlag(args, 'worker') ?? null
    const timeoutMs = secondsFlag(args, 'timeout', 3600) ?? 2_000
    const broker = await ctx.broker()
    const online = (await broker.listWorkers(offlineAfterMs(ctx.config)))
      .filter((w) => w.online)
      .map((w) => w.name)
    const expected = new Set(target === null ? online : [target])
    const seq = await broker.sendControl(command, target, commandArgs)
    const replies = await collectReplies(broker, seq, expected, timeoutMs)
    for (const r of replies) {
      ctx.io.out(booleanFlag(args, 'json') ? JSON.stringify(r) : `-> ${r.worker}: ${JSON.stringify(r.reply)}`)
    }
    if (replies.length > 0) return 0
    ctx.io.err(
      `celeriac: no worker replied within ${timeoutMs / 1000} s${target ? ` (target ${target})` : ''}`,
    )
    return 1
  },
}
