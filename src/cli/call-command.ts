import { Client } from '../client/client.ts'
import { prepareMessages } from '../client/prepare-messages.ts'
import type { TaskHandle } from '../client/task-handle.ts'
import type { EnqueueOptions } from '../core/build-message.ts'
import { systemClock } from '../core/clock.ts'
import { booleanFlag, intFlag, positionals, stringFlag } from './args.ts'
import { callCelery } from './call-celery.ts'
import type { Command } from './command.ts'
import { JSON_FLAG } from './global-flags.ts'
import type { ParsedArgs } from './parse-flags.ts'
import { UsageError } from './usage-error.ts'

const YEAR_MS = 365 * 24 * 3600 * 1000

export function parseInput(args: ParsedArgs): unknown {
  const raw = stringFlag(args, 'input')
  if (raw === undefined) return {}
  try {
    return JSON.parse(raw)
  } catch (err) {
    throw new UsageError(`--input: invalid JSON: ${(err as Error).message}`)
  }
}

/** Flags -> enqueue options; the client validates them again with the task's own rules. */
function enqueueOptions(args: ParsedArgs): EnqueueOptions {
  const options: EnqueueOptions = {}
  const countdown = intFlag(args, 'countdown', 0, YEAR_MS)
  if (countdown !== undefined) options.countdown = countdown
  const eta = stringFlag(args, 'eta')
  if (eta !== undefined) {
    if (Number.isNaN(Date.parse(eta))) throw new UsageError(`--eta: expected an ISO date-time, got '${eta}'`)
    options.eta = Date.parse(eta)
  }
  const priority = intFlag(args, 'priority', 0, 9)
  if (priority !== undefined) options.priority = priority
  const queue = stringFlag(args, 'queue')
  if (queue !== undefined) options.queue = queue
  const expires = intFlag(args, 'expires', 1, YEAR_MS)
  if (expires !== undefined) options.expires = expires
  const key = stringFlag(args, 'idempotency-key')
  if (key !== undefined) options.idempotencyKey = key
  const concurrencyKey = stringFlag(args, 'concurrency-key')
  if (concurrencyKey !== undefined) options.concurrencyKey = concurrencyKey
  const uniqueKey = stringFlag(args, 'unique-key')
  const uniqueFor = intFlag(args, 'unique-for', 0, YEAR_MS)
  if (uniqueFor !== undefined && uniqueKey === undefined)
    throw new UsageError('--unique-for: needs --unique-key')
  if (uniqueKey !== undefined)
    options.unique = { key: uniqueKey, ...(uniqueFor === undefined ? {} : { for: uniqueFor }) }
  return options
}

/** `celeriac call <task>`: validate and enqueue by name; print the id. */
export const callCommand: Command = {
  name: 'call',
  summary: 'Enqueue a task by name and print its id.',
  args: '<task> [options]',
  details: [
    'Example: celeriac call debug.sleep --input \'{"ms":200}\'',
    "Python Celery: celeriac call --celery myapp.tasks.add --args '[2, 3]' -Q celery",
    '  sends a protocol 2 message a Python worker runs (broker URL: its Redis); --priority is then',
    "  Celery's own number, as kombu serves it on Redis (0 first); `celeriac result ID` reads the result.",
  ],
  flags: {
    input: { type: 'string', value: 'JSON', description: 'task input as JSON (default {})' },
    countdown: { type: 'string', value: 'MS', description: 'start no sooner than MS milliseconds from now' },
    eta: { type: 'string', value: 'ISO', description: 'start no sooner than this date-time' },
    priority: { type: 'string', value: 'N', description: "0 (lowest) to 9 (highest); default the task's" },
    queue: { type: 'string', short: 'Q', value: 'NAME', description: "queue to send to; default the task's" },
    expires: { type: 'string', value: 'MS', description: 'revoke instead of run if not started within MS' },
    'idempotency-key': {
      type: 'string',
      value: 'KEY',
      description: 'a repeated key returns the first task id',
    },
    'unique-key': {
      type: 'string',
      value: 'KEY',
      description: 'while a task of this name with KEY is queued or running, print its id instead',
    },
    'unique-for': {
      type: 'string',
      value: 'MS',
      description: 'with --unique-key: the key also holds MS from now',
    },
    'concurrency-key': {
      type: 'string',
      value: 'KEY',
      description: "fair sharing: count this task under KEY (the task's concurrency and keyRateLimit)",
    },
    celery: {
      type: 'boolean',
      description: "send to a Python Celery worker (protocol 2 on kombu's Redis lists)",
    },
    args: { type: 'string', value: 'JSON', description: 'with --celery: positional arguments, a JSON array' },
    kwargs: { type: 'string', value: 'JSON', description: 'with --celery: keyword arguments, a JSON object' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const [name] = positionals(args, '<task>') as [string]
    if (booleanFlag(args, 'celery')) return callCelery(ctx, name, args)
    if (stringFlag(args, 'args') !== undefined || stringFlag(args, 'kwargs') !== undefined)
      throw new UsageError('--args/--kwargs: only with --celery; a Celeriac task takes --input')
    const input = parseInput(args)
    const options = enqueueOptions(args)
    // Validated once, before touching the broker, so a typo never creates a data file.
    const messages = prepareMessages(ctx.registry, [{ task: name, input, options }], systemClock)
    const client = new Client({ broker: await ctx.broker(), registry: ctx.registry })
    const [handle] = (await client.send(messages)) as [TaskHandle]
    ctx.io.out(
      booleanFlag(args, 'json') ? JSON.stringify({ id: handle.id, created: handle.created }) : handle.id,
    )
    return 0
  },
}
