import { QueueName } from '../core/message.ts'
import { parseOrThrow } from '../core/validate.ts'
import { booleanFlag, positionals, stringFlag } from './args.ts'
import type { Command } from './command.ts'
import { UsageError } from './usage-error.ts'

/** `celeriac purge -Q queue --yes`: deletes what waits in a queue; asks for --yes first. */
export const purgeCommand: Command = {
  name: 'purge',
  summary: 'Delete every waiting and delayed task of a queue (running tasks are left alone).',
  args: '-Q queue --yes',
  flags: {
    queue: { type: 'string', short: 'Q', value: 'NAME', description: 'the queue to empty (required)' },
    yes: { type: 'boolean', short: 'y', description: 'confirm: without it, only says what would be deleted' },
  },
  async run(ctx, args) {
    positionals(args)
    const raw = stringFlag(args, 'queue')
    if (raw === undefined) throw new UsageError('-Q/--queue is required: which queue to purge')
    const queue = parseOrThrow(QueueName, raw, '--queue')
    const broker = await ctx.broker()
    if (!booleanFlag(args, 'yes')) {
      const stats = (await broker.queueStats()).find((q) => q.queue === queue)
      const count = (stats?.waiting ?? 0) + (stats?.delayed ?? 0)
      throw new UsageError(
        `purge deletes the ${count} waiting task(s) of queue '${queue}' for good; add --yes to do it`,
      )
    }
    const purged = await broker.purge(queue)
    ctx.io.out(`purged ${purged} task(s) from queue '${queue}'`)
    return 0
  },
}
