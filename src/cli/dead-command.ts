import type { TaskResult } from '../core/result.ts'
import { action, booleanFlag, stringFlag } from './args.ts'
import type { Command } from './command.ts'
import { formatTable } from './format-table.ts'
import { JSON_FLAG } from './global-flags.ts'

const LIST_LIMIT = 1_000

function formatDead(tasks: readonly TaskResult[]): string {
  if (tasks.length === 0) return 'no dead letters'
  const rows = tasks.map((t) => [
    t.id,
    t.task,
    t.queue,
    t.deadReason ?? '-',
    t.attempts,
    t.finishedAt ? new Date(t.finishedAt).toISOString() : '-',
    t.error ? `${t.error.type}: ${t.error.message}`.slice(0, 80) : '-',
  ])
  return formatTable(['ID', 'TASK', 'QUEUE', 'REASON', 'ATTEMPTS', 'FAILED AT', 'ERROR'], rows)
}

/** `celeriac dead list|requeue`: tasks that used up their retries or lost their workers too often. */
export const deadCommand: Command = {
  name: 'dead',
  summary: 'List dead-letter tasks, or put one back on its queue.',
  args: 'list [-Q queue] [--json] | requeue <id>',
  flags: {
    queue: { type: 'string', short: 'Q', value: 'NAME', description: 'list only this queue' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const [what, id] = action(args, ['list', 'requeue'], args.positionals[0] === 'requeue' ? ['<id>'] : [])
    const broker = await ctx.broker()
    if (what === 'list') {
      const tasks = await broker.listDead(stringFlag(args, 'queue'), LIST_LIMIT)
      ctx.io.out(booleanFlag(args, 'json') ? JSON.stringify(tasks) : formatDead(tasks))
      return 0
    }
    if (!(await broker.requeueDead(id as string))) {
      ctx.io.err(`celeriac: task ${id} is not in the dead-letter list`)
      return 1
    }
    ctx.io.out(`requeued ${id}`)
    return 0
  },
}
