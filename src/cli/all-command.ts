import type { TaskRegistry } from '../core/registry.ts'
import { positionals } from './args.ts'
import { banner } from './banner.ts'
import type { Command, CommandContext } from './command.ts'
import type { Role } from './role.ts'
import { runRoles } from './run-roles.ts'
import { WORKER_FLAGS } from './worker-command.ts'
import { createWorkerRole } from './worker-role.ts'

/** Every queue a registered task routes to, after the configured ones. */
export function allQueues(configured: readonly string[], registry: TaskRegistry): string[] {
  const routed = registry.names().map((name) => registry.get(name)?.options.queue ?? 'default')
  return [...new Set([...configured, ...routed])]
}

/**
 * The roles `celeriac all` runs in one process. The api and beat roles join here when they exist:
 * build the Role, push it, and runRoles starts and stops it with the others.
 */
async function buildRoles(
  ctx: CommandContext,
): Promise<{ roles: Role[]; details: Record<string, string | number> }> {
  const { config, registry, log } = ctx
  const queues = allQueues(config.queues, registry)
  const worker = createWorkerRole({ broker: await ctx.broker(), registry, config, queues, log })
  const roles: Role[] = [worker]
  return {
    roles,
    details: { worker: worker.workerName, queues: queues.join(','), concurrency: config.concurrency },
  }
}

/** `celeriac all`: every role in one process, the zero-setup default for development and small installs. */
export const allCommand: Command = {
  name: 'all',
  summary: 'Run every role in one process (today: a worker on every queue of the registered tasks).',
  args: '[options]',
  details: ['Stops gracefully on SIGTERM or SIGINT, like `celeriac worker`.'],
  flags: WORKER_FLAGS,
  async run(ctx, args) {
    positionals(args)
    const { roles, details } = await buildRoles(ctx)
    ctx.io.out(banner('all', ctx.config, { roles: roles.map((r) => r.name).join('+'), ...details }))
    return runRoles(roles, ctx.log)
  },
}
