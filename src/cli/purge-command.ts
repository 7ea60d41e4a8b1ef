import type { BrokerAdmin } from '../brokers/broker.ts'
import { QueueName } from '../core/message.ts'
import { parseOrThrow } from '../core/validate.ts'
import { booleanFlag, positionals, stringFlag } from './args.ts'
import type { Command, CommandContext } from './command.ts'
import { UsageError } from './usage-error.ts'

/** What a purge would delete per queue right now: waiting and delayed tasks (running ones stay). */
async function purgeable(broker: BrokerAdmin, only: string | null): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const q of await broker.queueStats()) {
    if (only === null || q.queue === only) counts.set(q.queue, q.waiting + q.delayed)
  }
  if (only !== null && !counts.has(only)) counts.set(only, 0)
  return counts
}

/** One queue, as `purge -Q` always did: the refusal names the count. */
async function purgeOne(ctx: CommandContext, queue: string, yes: boolean): Promise<number> {
  const broker = await ctx.broker()
  if (!yes) {
    const count = (await purgeable(broker, queue)).get(queue) ?? 0
    throw new UsageError(
      `purge deletes the ${count} waiting task(s) of queue '${queue}' for good; add --yes to do it`,
    )
  }
  const purged = await broker.purge(queue)
  ctx.io.out(`purged ${purged} task(s) from queue '${queue}'`)
  return 0
}

/** Every queue the broker knows: a count per queue first, so the operator sees what goes. */
async function purgeAll(ctx: CommandContext, yes: boolean): Promise<number> {
  const broker = await ctx.broker()
  const counts = await purgeable(broker, null)
  if (!yes) {
    let total = 0
    for (const [queue, count] of counts) {
      if (count === 0) continue
      total += count
      ctx.io.out(`queue '${queue}': ${count} task(s) would be deleted`)
    }
    throw new UsageError(
      `purge deletes ${total} waiting task(s) in ${counts.size} queue(s) for good; add --yes to do it`,
    )
  }
  let total = 0
  for (const queue of counts.keys()) {
    // The count printed is what was deleted, which may differ from the look just before.
    const purged = await broker.purge(queue)
    total += purged
    if (purged > 0) ctx.io.out(`purged ${purged} task(s) from queue '${queue}'`)
  }
  ctx.io.out(`purged ${total} task(s) in total`)
  return 0
}

/** `celeriac purge -Q queue --yes` or `--all-queues --yes`: deletes what waits; asks for --yes first. */
export const purgeCommand: Command = {
  name: 'purge',
  summary:
    'Delete every waiting and delayed task of a queue, or of every queue (running tasks are left alone).',
  args: '-Q queue|--all-queues --yes',
  details: [
    'Without --yes nothing is deleted: it says how many tasks would go (per queue with --all-queues).',
  ],
  flags: {
    queue: { type: 'string', short: 'Q', value: 'NAME', description: 'the queue to empty' },
    'all-queues': { type: 'boolean', description: 'empty every queue the broker knows' },
    yes: { type: 'boolean', short: 'y', description: 'confirm: without it, only says what would be deleted' },
  },
  async run(ctx, args) {
    positionals(args)
    const raw = stringFlag(args, 'queue')
    const all = booleanFlag(args, 'all-queues')
    const yes = booleanFlag(args, 'yes')
    if (raw !== undefined && all) throw new UsageError('-Q/--queue and --all-queues are exclusive: give one')
    if (all) return purgeAll(ctx, yes)
    if (raw === undefined)
      throw new UsageError('-Q/--queue or --all-queues is required: which queue to purge')
    return purgeOne(ctx, parseOrThrow(QueueName, raw, '--queue'), yes)
  },
}
