import { checkCeleryUrl } from '../brokers/redis/celery/check-celery-url.ts'
import type { CeleryCallInput } from '../celery/celery-call.ts'
import { CeleryClient } from '../client/celery-client.ts'
import { ValidationError } from '../core/errors.ts'
import { booleanFlag, intFlag, stringFlag } from './args.ts'
import type { CommandContext } from './command.ts'
import type { ParsedArgs } from './parse-flags.ts'
import { UsageError } from './usage-error.ts'

const YEAR_MS = 365 * 24 * 3600 * 1000

function jsonFlag(args: ParsedArgs, name: string): unknown {
  const raw = stringFlag(args, name)
  if (raw === undefined) return undefined
  try {
    return JSON.parse(raw)
  } catch (err) {
    throw new UsageError(`--${name}: invalid JSON: ${(err as Error).message}`)
  }
}

/** The flags of `call --celery` as a Celery call; the client checks the values again. */
function celeryCallOf(args: ParsedArgs): CeleryCallInput {
  if (stringFlag(args, 'input') !== undefined)
    throw new UsageError('--input: a Celery task takes --args and --kwargs, not --input')
  const call: Record<string, unknown> = {}
  const put = (key: string, value: unknown) => {
    if (value !== undefined) call[key] = value
  }
  put('args', jsonFlag(args, 'args'))
  put('kwargs', jsonFlag(args, 'kwargs'))
  put('queue', stringFlag(args, 'queue'))
  put('countdown', intFlag(args, 'countdown', 0, YEAR_MS))
  put('expires', intFlag(args, 'expires', 1, YEAR_MS))
  put('priority', intFlag(args, 'priority', 0, 9))
  const eta = stringFlag(args, 'eta')
  if (eta !== undefined) {
    if (Number.isNaN(Date.parse(eta))) throw new UsageError(`--eta: expected an ISO date-time, got '${eta}'`)
    call.eta = Date.parse(eta)
  }
  return call as CeleryCallInput
}

/**
 * `call --celery NAME`: sends a protocol 2 message a Python Celery worker runs, on the Redis of
 * the broker URL, and prints the task id (`celeriac result ID` reads its celery-task-meta).
 */
export async function callCelery(ctx: CommandContext, name: string, args: ParsedArgs): Promise<number> {
  const call = celeryCallOf(args)
  for (const flag of ['idempotency-key', 'unique-key', 'unique-for', 'concurrency-key'])
    if (stringFlag(args, flag) !== undefined)
      throw new UsageError(`--${flag}: Celery messages have no such key`)
  checkCeleryUrl(ctx.config.brokerUrl, "call --celery pushes onto kombu's Redis lists")
  const client = CeleryClient.open(ctx.config.brokerUrl)
  try {
    const handle = await client.send(name, call)
    ctx.io.out(booleanFlag(args, 'json') ? JSON.stringify({ id: handle.id, created: true }) : handle.id)
    return 0
  } catch (err) {
    // The flags map one to one onto the call's fields: name the flag the user typed.
    if (err instanceof ValidationError)
      throw new UsageError(err.issues.map((i) => `--${i.path.split('.')[0]}: ${i.message}`).join('; '))
    throw err
  } finally {
    await client.close()
  }
}
