import { redactUrl } from '../brokers/redact-url.ts'
import { positionals } from './args.ts'
import { banner } from './banner.ts'
import { createBeatRole } from './beat-role.ts'
import { createBrokerGate } from './broker-gate.ts'
import type { Command } from './command.ts'
import { configFlags } from './config-flags.ts'
import { createHealthRole, HEALTH_FLAGS } from './health-role.ts'
import { runRoles } from './run-roles.ts'

/** `celeriac beat`: fire periodic tasks; safe to run on several machines (one leads). */
export const beatCommand: Command = {
  name: 'beat',
  role: true,
  summary: 'Fire periodic tasks (safe to run twice: one leads, the others stand by).',
  args: '[options]',
  details: [
    'Schedules come from the config (`schedules`, CELERIAC_SCHEDULES) and from the broker, where',
    "'celeriac schedules' and the API edit them while beat runs. Stops on SIGTERM or SIGINT.",
  ],
  flags: {
    ...configFlags('timezone'),
    ...HEALTH_FLAGS,
  },
  async run(ctx, args) {
    positionals(args)
    const { config, log } = ctx
    const gate = createBrokerGate({
      name: 'beat',
      open: ctx.broker,
      where: redactUrl(config.brokerUrl),
      log,
      build: (broker) => {
        const role = createBeatRole({ broker, registry: ctx.registry, config, log })
        ctx.io.out(banner('beat', config, { timezone: config.timezone }))
        // Beat is ready while it can reach the broker, leader or standby.
        return { roles: [role], ready: () => broker.ping().then(() => true) }
      },
    })
    const health = createHealthRole({ port: config.healthPort, ready: gate.ready, log, of: 'beat' })
    return runRoles([health, gate], { log, graceMs: config.graceMs })
  },
}
