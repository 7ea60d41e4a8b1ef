import { consumedQueues, EVERY_QUEUE } from '../core/consumed-queues.ts'
import { API_FLAGS } from './api-command.ts'
import { checkApiAuth, createApiRole } from './api-role.ts'
import { positionals } from './args.ts'
import { banner } from './banner.ts'
import { createBeatRole } from './beat-role.ts'
import type { Command, CommandContext } from './command.ts'
import { holdPidFile } from './pid-file.ts'
import type { Role } from './role.ts'
import { runRoles } from './run-roles.ts'
import { WORKER_FLAGS } from './worker-command.ts'
import { createWorkerRole } from './worker-role.ts'

/**
 * The roles `celeriac all` runs in one process; runRoles starts them in order and stops them in
 * reverse.
 */
async function buildRoles(
  ctx: CommandContext,
): Promise<{ roles: Role[]; details: Record<string, string | number> }> {
  const { config, registry, log } = ctx
  // One process runs everything, so its worker consumes every queue, after the configured ones.
  const queues = consumedQueues([...config.queues, EVERY_QUEUE], registry)
  checkApiAuth(config)
  const broker = await ctx.broker()
  const worker = createWorkerRole({ broker, registry, config, queues, log })
  // Started after the worker, so stopped before it: requests end before the worker drains.
  const api = createApiRole({ broker, registry, config, log, warn: ctx.io.err })
  const beat = createBeatRole({ broker, registry, config, log })
  const roles: Role[] = [worker, beat, api]
  return {
    roles,
    details: {
      worker: worker.workerName,
      queues: queues.join(','),
      concurrency: config.concurrency,
      port: config.port,
    },
  }
}

/** `celeriac all`: every role in one process, the zero-setup default for development and small installs. */
export const allCommand: Command = {
  name: 'all',
  role: true,
  summary:
    'Run every role in one process: a worker on every queue of the registered tasks, beat and the API.',
  args: '[options]',
  details: [
    'Stops gracefully on SIGTERM or SIGINT, like `celeriac worker`.',
    'The API needs CELERIAC_API_TOKENS, or --insecure for local development.',
  ],
  flags: { ...WORKER_FLAGS, ...API_FLAGS },
  async run(ctx, args) {
    positionals(args)
    const releasePidFile = holdPidFile(ctx.config.pidFile)
    try {
      const { roles, details } = await buildRoles(ctx)
      ctx.io.out(banner('all', ctx.config, { roles: roles.map((r) => r.name).join('+'), ...details }))
      return await runRoles(roles, ctx.log)
    } finally {
      releasePidFile()
    }
  },
}
