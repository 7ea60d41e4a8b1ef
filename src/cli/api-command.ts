import { redactUrl } from '../brokers/redact-url.ts'
import { checkApiAuth, createApiRole } from './api-role.ts'
import { positionals } from './args.ts'
import { banner } from './banner.ts'
import { createBrokerGate } from './broker-gate.ts'
import type { Command } from './command.ts'
import { configFlags } from './config-flags.ts'
import type { FlagSpecs } from './parse-flags.ts'
import { runRoles } from './run-roles.ts'

export const API_FLAGS: FlagSpecs = configFlags('port', 'basePath', 'insecure', 'celeryEventsListen')

/** `celeriac api`: the HTTP API until SIGTERM/SIGINT. */
export const apiCommand: Command = {
  name: 'api',
  role: true,
  summary: 'Serve the HTTP API (REST, SSE events, /metrics, /healthz, /readyz).',
  args: '[options]',
  details: [
    'Needs tokens: CELERIAC_API_TOKENS=token:scope+scope,... (scopes read, submit, admin),',
    'or --insecure for a local API without auth (a warning is printed on every start).',
    'Exit codes: 0 stopped, 2 bad configuration (e.g. no tokens), 1 error.',
  ],
  flags: API_FLAGS,
  async run(ctx, args) {
    positionals(args)
    const { config, registry, log } = ctx
    checkApiAuth(config)
    const gate = createBrokerGate({
      name: 'api',
      open: ctx.broker,
      where: redactUrl(config.brokerUrl),
      log,
      standInPort: config.port,
      build: (broker) => {
        const role = createApiRole({ broker, registry, config, log, warn: ctx.io.err })
        ctx.io.out(banner('api', config, { port: config.port }))
        return { roles: [role] }
      },
    })
    return runRoles([gate], { log, graceMs: config.graceMs })
  },
}
