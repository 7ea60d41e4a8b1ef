import { EventTail } from '../api/metrics/event-tail.ts'
import type { BrokerEvent } from '../brokers/broker.ts'
import { systemClock } from '../core/clock.ts'
import { booleanFlag, positionals, stringFlag } from './args.ts'
import type { Command } from './command.ts'
import { JSON_FLAG } from './global-flags.ts'
import { onStopSignals } from './stop-signals.ts'

function formatEvent(e: BrokerEvent): string {
  const when = new Date(e.at).toISOString()
  const what = [e.task, e.taskId, e.queue && `queue=${e.queue}`].filter(Boolean).join(' ')
  const data =
    e.data && typeof e.data === 'object' && Object.keys(e.data).length > 0 ? ` ${JSON.stringify(e.data)}` : ''
  return `${when} ${e.type.padEnd(15)} ${what}${data}`
}

/** `celeriac events`: Celery's event monitor, as a log of what every worker does, live. */
export const eventsCommand: Command = {
  name: 'events',
  summary: 'Follow task and worker events from every worker, live, until Ctrl-C.',
  args: '[--task NAME] [-Q queue] [--all] [--json]',
  details: ['Reads the broker event log (the same the API streams as SSE and the dashboard shows).'],
  flags: {
    task: { type: 'string', value: 'NAME', description: 'only events of this task' },
    queue: { type: 'string', short: 'Q', value: 'NAME', description: 'only events of this queue' },
    all: { type: 'boolean', description: 'print the stored history first, then follow' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    positionals(args)
    const task = stringFlag(args, 'task')
    const queue = stringFlag(args, 'queue')
    const json = booleanFlag(args, 'json')
    const print = (e: BrokerEvent) => {
      if ((task && e.task !== task) || (queue && e.queue !== queue)) return
      ctx.io.out(json ? JSON.stringify(e) : formatEvent(e))
    }
    const all = booleanFlag(args, 'all')
    const tail = new EventTail({
      admin: await ctx.broker(),
      onEvent: print,
      clock: systemClock,
      log: ctx.log,
      pollMs: 250,
      from: all ? 0 : undefined,
    })
    await new Promise<void>((resolve) => {
      const dispose = onStopSignals(() => {
        dispose()
        resolve()
      })
      tail.start()
      // On stderr, so a script reading stdout sees only events: from here on, nothing is missed.
      ctx.io.err(
        `celeriac events: following ${all ? 'the stored history, then live events' : 'live events'} (Ctrl-C to stop)`,
      )
    })
    await tail.stop()
    return 0
  },
}
