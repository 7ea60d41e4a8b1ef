import { isCeleryUrl } from '../brokers/redis/celery/check-celery-url.ts'
import { CeleryClient } from '../client/celery-client.ts'
import { TaskHandle } from '../client/task-handle.ts'
import type { TaskResult } from '../core/result.ts'
import { booleanFlag, positionals, secondsFlag } from './args.ts'
import type { Command } from './command.ts'
import { JSON_FLAG } from './global-flags.ts'

/** Human-readable: the state on its own line, then what a reader wants for that state. */
export function formatResult(id: string, stored: TaskResult | null): string {
  if (!stored) return 'PENDING'
  const lines: string[] = [stored.state]
  if (stored.state === 'SUCCESS') lines.push(JSON.stringify(stored.result ?? null, null, 2))
  else if (stored.error) lines.push(`${stored.error.type}: ${stored.error.message}`)
  if (stored.state === 'PROGRESS' && stored.meta !== null) lines.push(JSON.stringify(stored.meta, null, 2))
  if (stored.state === 'FAILURE' || stored.state === 'RETRY') {
    lines.push(
      `task ${stored.task || '(Python Celery)'} ${id}, attempts ${stored.attempts}${stored.deadReason ? `, ${stored.deadReason}` : ''}`,
    )
  }
  return lines.join('\n')
}

/** `celeriac result <id>`: the stored outcome, optionally after waiting for it. */
export const resultCommand: Command = {
  name: 'result',
  summary: 'Print the state and result of a task (PENDING when unknown, as Celery does).',
  args: '<id> [options]',
  details: [
    'Exit codes: 0 printed; 1 with --wait when it timed out or the task ended FAILURE or REVOKED',
    '(so `result --wait` can gate a script), 2 bad usage.',
    'On a Redis broker, an id Celeriac does not know is read from celery-task-meta-<id>: the result',
    'a Python Celery worker wrote (for tasks sent with `call --celery`).',
  ],
  flags: {
    wait: { type: 'string', value: 'SECONDS', description: 'wait up to SECONDS for a final state' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const [id] = positionals(args, '<id>') as [string]
    const waitMs = secondsFlag(args, 'wait', 24 * 3600)
    const broker = await ctx.broker()
    const celery = isCeleryUrl(ctx.config.brokerUrl) ? CeleryClient.open(ctx.config.brokerUrl) : null
    // An id our broker does not know may be a Python Celery task's: its celery-task-meta answers.
    const source = async (taskId: string) =>
      (await broker.getResult(taskId)) ?? (celery ? await celery.result(taskId) : null)
    let stored: TaskResult | null
    try {
      stored =
        waitMs === undefined
          ? await source(id)
          : await new TaskHandle(id, true, source).wait({ timeout: waitMs })
    } finally {
      await celery?.close()
    }
    if (booleanFlag(args, 'json')) {
      ctx.io.out(JSON.stringify(stored ?? { id, state: 'PENDING', result: null, error: null }))
    } else {
      ctx.io.out(formatResult(id, stored))
    }
    const failed = stored?.state === 'FAILURE' || stored?.state === 'REVOKED'
    return waitMs !== undefined && failed ? 1 : 0
  },
}
