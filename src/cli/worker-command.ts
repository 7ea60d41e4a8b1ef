import type { Broker } from '../brokers/broker.ts'
import { redactUrl } from '../brokers/redact-url.ts'
import { consumedQueues } from '../core/consumed-queues.ts'
import { defaultWorkerName } from '../worker/worker-options.ts'
import { positionals } from './args.ts'
import { banner } from './banner.ts'
import { createBrokerGate } from './broker-gate.ts'
import { celeryConsumerBroker, checkCeleryBrokerUrl } from './celery-consumer-broker.ts'
import type { Command } from './command.ts'
import { configFlags } from './config-flags.ts'
import { createHealthRole, HEALTH_FLAGS } from './health-role.ts'
import { holdPidFile } from './pid-file.ts'
import { runRoles } from './run-roles.ts'
import { createWorkerRole } from './worker-role.ts'

export const WORKER_FLAGS = configFlags(
  'queues',
  'concurrency',
  'graceMs',
  'maxMemoryMb',
  'workerName',
  'trackStarted',
  'prefetchMultiplier',
  'maxTasksPerChild',
  'pidFile',
  'celery',
  'celeryEvents',
)

/** `celeriac worker`: consume queues until SIGTERM/SIGINT, a shutdown command or max memory. */
export const workerCommand: Command = {
  name: 'worker',
  role: true,
  summary: 'Run a worker that consumes queues until stopped.',
  args: '[options]',
  details: [
    'SIGTERM or SIGINT stops it gracefully: no new tasks are taken, running ones get --grace seconds,',
    'the rest go back to their queues. A second signal exits at once.',
    'Exit codes: 0 stopped, 3 max memory exceeded, 4 max tasks done (restart it), 1 error, 2 bad usage.',
  ],
  flags: {
    ...WORKER_FLAGS,
    ...HEALTH_FLAGS,
    'task-events': {
      type: 'boolean',
      short: 'E',
      description: "accepted for Celery's -E: task events are always on",
    },
  },
  async run(ctx, args) {
    positionals(args)
    const { config, registry, log } = ctx
    if (config.celery) checkCeleryBrokerUrl(config.brokerUrl)
    const releasePidFile = holdPidFile(config.pidFile)
    const queues = consumedQueues(config.queues, registry)
    // Named before the broker opens: Celery's control commands are addressed to this name.
    const named = { ...config, workerName: config.workerName ?? defaultWorkerName() }
    // Celery's task-started event needs every start reported; celery-task-meta gets STARTED only with --track-started.
    const worker = config.celery && config.celeryEvents ? { ...named, trackStarted: true } : named
    let consumer: Broker | null = null
    const gate = createBrokerGate({
      name: 'worker',
      open: ctx.broker,
      where: redactUrl(config.brokerUrl),
      log,
      build: async (broker) => {
        consumer = config.celery
          ? await celeryConsumerBroker(broker, named, registry, log, named.workerName)
          : null
        const role = createWorkerRole({ broker: consumer ?? broker, registry, config: worker, queues, log })
        const details = { worker: role.workerName, queues: queues.join(','), concurrency: config.concurrency }
        ctx.io.out(banner('worker', config, details))
        return { roles: [role], ready: role.ready }
      },
    })
    // Started first, stopped last: /healthz answers through the wait for the broker and the
    // drain; /readyz says 503 in both.
    const health = createHealthRole({ port: config.healthPort, ready: gate.ready, log, of: 'worker' })
    try {
      return await runRoles([health, gate], { log, graceMs: config.graceMs })
    } finally {
      await (consumer as Broker | null)?.close()
      releasePidFile()
    }
  },
}
