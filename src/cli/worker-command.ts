import { consumedQueues } from '../core/consumed-queues.ts'
import { positionals } from './args.ts'
import { banner } from './banner.ts'
import type { Command } from './command.ts'
import { configFlags } from './config-flags.ts'
import { createHealthRole, HEALTH_FLAGS } from './health-role.ts'
import { runRoles } from './run-roles.ts'
import { createWorkerRole } from './worker-role.ts'

export const WORKER_FLAGS = configFlags(
  'queues',
  'concurrency',
  'graceMs',
  'maxMemoryMb',
  'workerName',
  'trackStarted',
)

/** `celeriac worker`: consume queues until SIGTERM/SIGINT, a shutdown command or max memory. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run a worker that consumes queues until stopped.',
  args: '[options]',
  details: [
    'SIGTERM or SIGINT stops it gracefully: no new tasks are taken, running ones get --grace seconds,',
    'the rest go back to their queues. A second signal exits at once.',
    'Exit codes: 0 stopped, 3 max memory exceeded (restart it), 1 error, 2 bad usage.',
  ],
  flags: { ...WORKER_FLAGS, ...HEALTH_FLAGS },
  async run(ctx, args) {
    positionals(args)
    const { config, registry, log } = ctx
    const queues = consumedQueues(config.queues, registry)
    const role = createWorkerRole({ broker: await ctx.broker(), registry, config, queues, log })
    const details = {
      worker: role.workerName,
      queues: queues.join(','),
      concurrency: config.concurrency,
    }
    ctx.io.out(banner('worker', config, details))
    // Started first, stopped last: /healthz answers through the drain, /readyz says 503 in it.
    const health = createHealthRole({ port: config.healthPort, ready: role.ready, log, of: 'worker' })
    return runRoles([health, role], log)
  },
}
