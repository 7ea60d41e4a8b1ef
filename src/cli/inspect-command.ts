import type { BrokerAdmin, WorkerStatus } from '../brokers/broker.ts'
import type { TaskResult } from '../core/result.ts'
import { action, booleanFlag } from './args.ts'
import type { Command, CommandContext } from './command.ts'
import { formatDuration, formatMegabytes, formatTable } from './format-table.ts'
import { JSON_FLAG } from './global-flags.ts'
import { inspectConf } from './inspect-conf.ts'
import { inspectRevoked } from './inspect-revoked.ts'
import { offlineAfterMs } from './status-command.ts'

const ACTIONS = ['active', 'reserved', 'scheduled', 'stats', 'registered', 'conf', 'revoked'] as const
/** What the heartbeats already carry: answered without asking the workers. */
type InspectAction = Exclude<(typeof ACTIONS)[number], 'conf' | 'revoked'>

/** Celery answers inspect from live workers; we answer from their last heartbeat, which is as fresh. */
function workerView(action: Exclude<InspectAction, 'scheduled'>, w: WorkerStatus): unknown {
  if (action === 'active') return w.active
  if (action === 'reserved') return w.reserved
  if (action === 'registered') return w.registered
  const { active, reserved, registered, ...stats } = w
  return { ...stats, active: active.length, reserved: reserved.length }
}

function formatWorker(action: Exclude<InspectAction, 'scheduled'>, w: WorkerStatus, now: number): string {
  const head = `-> ${w.name}`
  if (action === 'active') {
    const rows = w.active.map((t) => [t.id, t.task, t.attempt, formatDuration(now - t.startedAt)])
    return rows.length
      ? `${head}\n${indent(formatTable(['ID', 'TASK', 'ATTEMPT', 'RUNNING'], rows))}`
      : `${head}: none`
  }
  if (action === 'reserved') {
    const rows = w.reserved.map((t) => [t.id, t.task])
    return rows.length ? `${head}\n${indent(formatTable(['ID', 'TASK'], rows))}` : `${head}: none`
  }
  if (action === 'registered') return `${head}\n${indent(w.registered.join('\n'))}`
  return `${head}\n${indent(
    [
      `pid ${w.pid} on ${w.host}, version ${w.version}, ${w.status}, up ${formatDuration(now - w.startedAt)}`,
      `queues ${w.queues.join(',')}, concurrency ${w.concurrency}, active ${w.active.length}, reserved ${w.reserved.length}`,
      `processed ${w.processed}: succeeded ${w.succeeded}, failed ${w.failed}, retried ${w.retried}`,
      `rss ${formatMegabytes(w.rssBytes)}`,
    ].join('\n'),
  )}`
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ')
}

const SCHEDULED_LIMIT = 1_000

/** Tasks waiting for an ETA or a retry time, soonest first. */
async function scheduled(broker: BrokerAdmin, now: number): Promise<TaskResult[]> {
  const found: TaskResult[] = []
  for (const state of ['PENDING', 'RETRY'] as const) {
    let cursor: string | undefined
    do {
      const page = await broker.listTasks({ state, limit: 500, ...(cursor ? { cursor } : {}) })
      found.push(...page.tasks.filter((t) => t.eta !== null && t.eta > now))
      cursor = page.nextCursor ?? undefined
    } while (cursor && found.length < SCHEDULED_LIMIT)
  }
  return found.sort((a, b) => (a.eta ?? 0) - (b.eta ?? 0)).slice(0, SCHEDULED_LIMIT)
}

async function inspectScheduled(ctx: CommandContext, json: boolean): Promise<number> {
  const tasks = await scheduled(await ctx.broker(), Date.now())
  if (json) ctx.io.out(JSON.stringify(tasks))
  else if (tasks.length === 0) ctx.io.out('no scheduled tasks')
  else {
    const rows = tasks.map((t) => [t.id, t.task, t.queue, t.state, new Date(t.eta ?? 0).toISOString()])
    ctx.io.out(formatTable(['ID', 'TASK', 'QUEUE', 'STATE', 'ETA'], rows))
  }
  return 0
}

/** `celeriac inspect <action>`: what the running workers hold, from their heartbeats. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Inspect workers: active, reserved, scheduled, stats, registered, conf or revoked.',
  args: 'active|reserved|scheduled|stats|registered|conf|revoked [--json]',
  details: [
    "conf: each running worker's config, redacted (asked through the control channel).",
    'revoked: revoked task ids the broker still remembers, newest first.',
    'Exit code 1 when no worker is online (except for scheduled and revoked, read from the broker).',
  ],
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const [what] = action(args, ACTIONS)
    const json = booleanFlag(args, 'json')
    if (what === 'scheduled') return inspectScheduled(ctx, json)
    if (what === 'conf') return inspectConf(ctx, json)
    if (what === 'revoked') return inspectRevoked(ctx, json)
    const workers = (await (await ctx.broker()).listWorkers(offlineAfterMs(ctx.config))).filter(
      (w) => w.online,
    )
    if (json)
      ctx.io.out(JSON.stringify(Object.fromEntries(workers.map((w) => [w.name, workerView(what, w)]))))
    else for (const w of workers) ctx.io.out(formatWorker(what, w, Date.now()))
    if (workers.length > 0) return 0
    ctx.io.err('celeriac: no worker online')
    return 1
  },
}
