import type { BrokerAdmin, QueueStats, WorkerStatus } from '../brokers/broker.ts'
import type { Config } from '../config/config-schema.ts'
import { booleanFlag, positionals, secondsFlag } from './args.ts'
import type { Command } from './command.ts'
import { formatDuration, formatMegabytes, formatTable } from './format-table.ts'
import { JSON_FLAG } from './global-flags.ts'
import type { ParsedArgs } from './parse-flags.ts'
import { onStopSignals } from './stop-signals.ts'
import { UsageError } from './usage-error.ts'

const WATCH_INTERVAL_MS = 2_000
const MAX_INTERVAL_SECONDS = 3_600

/** A worker silent for three heartbeats is counted offline. */
export function offlineAfterMs(config: Config): number {
  return config.heartbeatMs * 3
}

interface Snapshot {
  workers: WorkerStatus[]
  queues: QueueStats[]
}

async function snapshot(broker: BrokerAdmin, config: Config): Promise<Snapshot> {
  const [workers, queues] = await Promise.all([
    broker.listWorkers(offlineAfterMs(config)),
    broker.queueStats(),
  ])
  return { workers, queues: withConsumedQueues(queues, workers) }
}

/** Queues an online worker consumes are shown even when empty: "0 waiting" is an answer too. */
function withConsumedQueues(queues: QueueStats[], workers: WorkerStatus[]): QueueStats[] {
  const known = new Set(queues.map((q) => q.queue))
  const empty = workers
    .filter((w) => w.online)
    .flatMap((w) => w.queues)
    .filter((q) => !known.has(q) && known.add(q))
    .map((queue) => ({ queue, waiting: 0, delayed: 0, active: 0, dead: 0, oldestAgeMs: null }))
  return [...queues, ...empty].sort((a, b) => a.queue.localeCompare(b.queue))
}

export function formatStatus({ workers, queues }: Snapshot, now: number): string {
  const online = workers.filter((w) => w.online)
  const lines = [
    `workers: ${online.length} online${workers.length > online.length ? `, ${workers.length - online.length} offline` : ''}`,
  ]
  if (online.length > 0) {
    const rows = online.map((w) => [
      w.name,
      w.status,
      w.queues.join(','),
      `${w.active.length}/${w.concurrency}`,
      w.processed,
      w.failed,
      formatMegabytes(w.rssBytes),
      formatDuration(now - w.startedAt),
    ])
    lines.push(
      formatTable(['NAME', 'STATUS', 'QUEUES', 'ACTIVE', 'PROCESSED', 'FAILED', 'RSS', 'UPTIME'], rows),
    )
  }
  lines.push('', `queues: ${queues.length}`)
  if (queues.length > 0) {
    const rows = queues.map((q) => [
      q.queue,
      q.waiting,
      q.delayed,
      q.active,
      q.dead,
      q.oldestAgeMs === null ? '-' : formatDuration(q.oldestAgeMs),
    ])
    lines.push(formatTable(['QUEUE', 'WAITING', 'DELAYED', 'ACTIVE', 'DEAD', 'OLDEST'], rows))
  }
  return lines.join('\n')
}

/** --interval in ms (default 2 s); only meaningful with --watch, and never 0 (a busy loop on the broker). */
function watchInterval(args: ParsedArgs): number {
  const ms = secondsFlag(args, 'interval', MAX_INTERVAL_SECONDS)
  if (ms === undefined) return WATCH_INTERVAL_MS
  if (!booleanFlag(args, 'watch')) throw new UsageError('--interval only applies with --watch')
  if (ms < 100)
    throw new UsageError(`--interval: expected at least 0.1 seconds, got '${args.flags.interval}'`)
  return ms
}

/** Redraws every `intervalMs` until SIGINT/SIGTERM. */
async function watch(print: () => Promise<void>, intervalMs: number): Promise<void> {
  let stopped = false
  let wake: () => void = () => {}
  const dispose = onStopSignals(() => {
    stopped = true
    wake()
  })
  try {
    while (!stopped) {
      await print()
      await new Promise<void>((resolve) => {
        wake = resolve
        setTimeout(resolve, intervalMs)
      })
    }
  } finally {
    dispose()
  }
}

/** `celeriac status`: workers online and queue depths. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'Show workers online and queue statistics.',
  args: '[--watch [--interval SECONDS]] [--json]',
  flags: {
    watch: {
      type: 'boolean',
      short: 'w',
      description: 'refresh until Ctrl-C (with --json: one line per refresh)',
    },
    interval: {
      type: 'string',
      short: 'i',
      value: 'SECONDS',
      description: 'with --watch: seconds between refreshes (default 2, at least 0.1)',
    },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    positionals(args)
    const intervalMs = watchInterval(args)
    const broker = await ctx.broker()
    const json = booleanFlag(args, 'json')
    // Redraw in place on a terminal; when piped, each refresh is simply appended.
    const clear = booleanFlag(args, 'watch') && process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''
    const print = async () => {
      const snap = await snapshot(broker, ctx.config)
      if (json) ctx.io.out(JSON.stringify(snap))
      else ctx.io.out(`${clear}${formatStatus(snap, Date.now())}`)
    }
    if (booleanFlag(args, 'watch')) await watch(print, intervalMs)
    else await print()
    return 0
  },
}
