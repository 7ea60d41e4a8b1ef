import type { Json } from '../core/json.ts'
import { RateLimitText } from '../core/rate-limit.ts'
import { action, booleanFlag, secondsFlag, stringFlag } from './args.ts'
import { askWorkers } from './ask-workers.ts'
import type { Command } from './command.ts'
import { JSON_FLAG } from './global-flags.ts'
import { UsageError } from './usage-error.ts'

/** What an operator may send; `conf` goes out through `inspect conf`. */
const ACTIONS = ['ping', 'shutdown', 'rate_limit', 'time_limit'] as const
type ControlAction = (typeof ACTIONS)[number]

const ARGUMENTS: Record<ControlAction, string[]> = {
  ping: [],
  shutdown: [],
  rate_limit: ['<task>', '<limit>'],
  time_limit: ['<task>', '<soft>', '<hard>'],
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

function seconds(name: string, text: string): number {
  const value = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isFinite(value))
    throw new UsageError(`${name}: expected a number of seconds (0: none), got '${text}'`)
  return value
}

/** Celery's `control time_limit <task> <soft> <hard>`: seconds, 0 for none. */
function timeLimitArgs(task: string, softText: string, hardText: string): Record<string, Json> {
  const soft = seconds('<soft>', softText)
  const hard = seconds('<hard>', hardText)
  if (soft > 0 && hard > 0 && soft > hard) {
    throw new UsageError(
      `<soft> (${soft} s) must not be above <hard> (${hard} s): the hard limit would end the task first`,
    )
  }
  return { task, soft, hard }
}

function commandArgs(command: ControlAction, rest: string[]): Record<string, Json> {
  const [task, a, b] = rest as [string, string, string]
  if (command === 'rate_limit') return rateLimitArgs(task, a)
  if (command === 'time_limit') return timeLimitArgs(task, a, b)
  return {}
}

/** `celeriac control ping|shutdown|rate_limit|time_limit`: commands to workers, with their replies. */
export const controlCommand: Command = {
  name: 'control',
  summary: 'Send ping, shutdown, rate_limit or time_limit to workers and print their replies.',
  args: 'ping|shutdown|rate_limit <task> <limit>|time_limit <task> <soft> <hard> [--worker NAME] [--timeout S]',
  details: [
    "rate_limit sets a task's limit in the workers ('10/s', '100/m', '0' for none, 'default' for its own).",
    "time_limit sets a task's soft and hard time limits in the workers, in seconds (0: none); they",
    'replace the limits its messages carry for every run that starts afterwards, until the worker restarts.',
    'Exit code 1 when no worker replied within the timeout.',
  ],
  flags: {
    worker: { type: 'string', value: 'NAME', description: 'only this worker (default: all)' },
    timeout: { type: 'string', value: 'SECONDS', description: 'how long to wait for replies (default 2)' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const named = ACTIONS.find((a) => a === args.positionals[0])
    const [command, ...rest] = action(args, ACTIONS, named ? ARGUMENTS[named] : [])
    const question = {
      command,
      args: commandArgs(command, rest),
      target: stringFlag(args, 'worker') ?? null,
      timeoutMs: secondsFlag(args, 'timeout', 3600) ?? 2_000,
    }
    const replies = await askWorkers(await ctx.broker(), ctx.config, question)
    for (const r of replies) {
      ctx.io.out(booleanFlag(args, 'json') ? JSON.stringify(r) : `-> ${r.worker}: ${JSON.stringify(r.reply)}`)
    }
    if (replies.length > 0) return 0
    const { target, timeoutMs } = question
    ctx.io.err(
      `celeriac: no worker replied within ${timeoutMs / 1000} s${target ? ` (target ${target})` : ''}`,
    )
    return 1
  },
}
