import type { ScheduleService, ScheduleView } from '../beat/schedule-service.ts'
import { action, booleanFlag, intFlag, stringFlag } from './args.ts'
import { createScheduleService } from './beat-role.ts'
import { parseInput } from './call-command.ts'
import type { Command, CommandContext } from './command.ts'
import { formatTable } from './format-table.ts'
import { JSON_FLAG } from './global-flags.ts'
import type { ParsedArgs } from './parse-flags.ts'

const ACTIONS = ['list', 'add', 'rm', 'enable', 'disable', 'run'] as const

function when(v: ScheduleView): string {
  return v.entry.cron ? `cron ${v.entry.cron}` : v.entry.every ? `every ${v.entry.every}` : `at ${v.entry.at}`
}

function iso(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace('.000Z', 'Z') : '-'
}

function printList(ctx: CommandContext, views: ScheduleView[], json: boolean): void {
  if (json || views.length === 0) {
    ctx.io.out(json ? JSON.stringify(views, null, 2) : 'no schedules')
    return
  }
  const rows = views.map((v) => [
    v.entry.name,
    v.entry.task,
    when(v),
    v.entry.timezone,
    v.entry.enabled ? 'yes' : 'no',
    iso(v.nextFireTimes[0]),
    iso(v.state.lastRunAt),
    v.state.lastOutcome ?? '-',
    v.state.totalRuns,
  ])
  ctx.io.out(formatTable(['NAME', 'TASK', 'WHEN', 'TZ', 'ON', 'NEXT', 'LAST', 'OUTCOME', 'RUNS'], rows))
}

/** `schedules add` flags → an entry for the service to validate (the service names bad fields). */
function entryFromFlags(args: ParsedArgs, name: string, task: string): Record<string, unknown> {
  const entry: Record<string, unknown> = { name, task, input: parseInput(args) }
  for (const key of ['cron', 'every', 'at', 'timezone'] as const) {
    const value = stringFlag(args, key)
    if (value !== undefined) entry[key] = value
  }
  const queue = stringFlag(args, 'queues')
  if (queue !== undefined) entry.queue = queue
  const priority = intFlag(args, 'priority', 0, 9)
  if (priority !== undefined) entry.priority = priority
  if (booleanFlag(args, 'catch-up')) entry.catchUp = 'once'
  if (booleanFlag(args, 'no-overlap')) entry.noOverlap = true
  if (booleanFlag(args, 'disabled')) entry.enabled = false
  return entry
}

async function runAction(ctx: CommandContext, service: ScheduleService, args: ParsedArgs): Promise<number> {
  const [verb] = args.positionals
  if (verb === 'list') {
    action(args, ACTIONS)
    printList(ctx, await service.list(), booleanFlag(args, 'json'))
    return 0
  }
  if (verb === 'add') {
    const [, name, task] = action(args, ACTIONS, ['<name>', '<task>'])
    const view = await service.create(entryFromFlags(args, name as string, task as string))
    ctx.io.out(`added ${view.entry.name}: next fire ${iso(view.nextFireTimes[0])}`)
    return 0
  }
  const [, name] = action(args, ACTIONS, ['<name>']) as [string, string]
  if (verb === 'rm') await service.remove(name)
  if (verb === 'enable' || verb === 'disable') await service.update(name, { enabled: verb === 'enable' })
  if (verb === 'run') {
    ctx.io.out((await service.runNow(name)).id)
    return 0
  }
  ctx.io.out(`${verb === 'rm' ? 'removed' : `${verb}d`} ${name}`)
  return 0
}

/** `celeriac schedules list|add|rm|enable|disable|run`: beat's entries, edited live in the broker. */
export const schedulesCommand: Command = {
  name: 'schedules',
  summary: "List and edit beat's periodic entries; changes take effect at the next fire.",
  args: 'list | add <name> <task> (--cron P | --every D | --at ISO) [options] | rm|enable|disable|run <name>',
  details: [
    "Example: celeriac schedules add nightly-report report.generate --cron '0 0 6 * * *' --timezone Europe/Amsterdam",
    'Cron patterns take seconds (6 fields) or not (5), as croner does; --every takes 30s, 5m, 1h, 1d.',
  ],
  flags: {
    cron: { type: 'string', value: 'PATTERN', description: 'cron pattern (croner syntax, seconds optional)' },
    every: { type: 'string', value: 'DURATION', description: 'interval: 30s, 5m, 1h, 1d' },
    at: { type: 'string', value: 'ISO', description: 'one-off time, e.g. 2026-12-24T18:00:00Z' },
    timezone: { type: 'string', value: 'TZ', description: 'IANA time zone (default: config timezone, UTC)' },
    input: { type: 'string', value: 'JSON', description: 'task input as JSON (default {})' },
    queues: { type: 'string', short: 'Q', value: 'QUEUE', description: "queue (default: the task's)" },
    priority: { type: 'string', value: 'N', description: '0-9, 9 first' },
    'catch-up': {
      type: 'boolean',
      description: 'after downtime, fire once for missed times (default: skip)',
    },
    'no-overlap': { type: 'boolean', description: 'skip a fire while the previous run is still running' },
    disabled: { type: 'boolean', description: 'add it disabled' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const service = createScheduleService({
      broker: await ctx.broker(),
      registry: ctx.registry,
      config: ctx.config,
      log: ctx.log,
    })
    return runAction(ctx, service, args)
  },
}
