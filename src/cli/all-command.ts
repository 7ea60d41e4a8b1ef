import type { BrokerEngine } from '../brokers/broker.ts'
import { redactUrl } from '../brokers/redact-url.ts'
import { consumedQueues, EVERY_QUEUE } from '../core/consumed-queues.ts'
import { API_FLAGS } from './api-command.ts'
import { checkApiAuth, createApiRole } from './api-role.ts'
import { positionals } from './args.ts'
import { banner } from './banner.ts'
import { createBeatRole } from './beat-role.ts'
import { createBrokerGate, type GatedRoles } from './broker-gate.ts'
import type { Command, CommandContext } from './command.ts'
import { holdPidFile } from './pid-file.ts'
import type { Role } from './role.ts'
import { runRoles } from './run-roles.ts'
import { WORKER_FLAGS } from './worker-command.ts'
import { createWorkerRole } from './worker-role.ts'

/**
 * The roles `celeriac all` runs in one process, once the broker answers; they start in order
 * and stop in reverse.
 */
function buildRoles(ctx: CommandContext, broker: BrokerEngine): GatedRoles {
  const { config, registry, log } = ctx
  // One process runs everything, so its worker consumes every queue, after the configured ones.
  const queues = consumedQueues([...config.queues, EVERY_QUEUE], registry)
  const worker = createWorkerRole({ broker, registry, config, queues, log })
  // Started after the worker, so stopped before it: requests end before the worker drains.
  const api = createApiRole({ broker, registry, config, log, warn: ctx.io.err })
  const beat = createBeatRole({ broker, registry, config, log })
  const roles: Role[] = [worker, beat, api]
  const details = {
    worker: worker.workerName,
    queues: queues.join(','),
    concurrency: config.concurrency,
    port: config.port,
  }
  ctx.io.out(banner('all', config, { roles: roles.map((r) => r.name).join('+'), ...details }))
  return { roles, ready: worker.ready }
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
    const { config, log } = ctx
    checkApiAuth(config)
    const releasePidFile = holdPidFile(config.pidFile)
    try {
      const gate = createBrokerGate({
        name: 'all',
        open: ctx.broker,
        where: redactUrl(config.brokerUrl),
        log,
        standInPort: config.port,
        build: (broker) => buildRoles(ctx, broker),
      })
      return await runRoles([gate], { log, graceMs: config.graceMs })
    } finally {
      releasePidFile()
    }
  },
}
