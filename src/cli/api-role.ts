import type { Server } from 'bun'
import type { BrokerEngine } from '../brokers/broker.ts'
import { ConfigError } from '../config/config-error.ts'
import type { Config } from '../config/config-schema.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { createApi } from '../server/create-api.ts'
import type { Role } from './role.ts'

export interface ApiRoleOptions {
  broker: BrokerEngine
  registry: TaskRegistry
  config: Config
  log: Logger
  /** Where the start-up warning of --insecure goes (stderr), so it shows on every start. */
  warn: (line: string) => void
}

export const INSECURE_WARNING =
  'celeriac: WARNING: --insecure: the API accepts every request without a token. It listens on ' +
  '127.0.0.1 only; set CELERIAC_API_TOKENS before exposing it.'

/** Refuses to start an API nobody asked to leave open. */
export function checkApiAuth(config: Config): void {
  if (config.apiTokens.length === 0 && !config.insecure) {
    throw new ConfigError([
      'the api role needs tokens: set CELERIAC_API_TOKENS=token:scope+scope,... (scopes read, submit, admin; ' +
        'tokens of 16+ characters), or pass --insecure for a local, unauthenticated API',
    ])
  }
}

type Api = ReturnType<typeof createApi>

/** The api as a Role: Bun.serve over the Hono app, plus the event tail that feeds /metrics. */
export function createApiRole(o: ApiRoleOptions): Role & { url(): string } {
  checkApiAuth(o.config)
  let api: Api | null = null
  let server: Server<undefined> | null = null
  return {
    name: 'api',
    url: () => (server ? `http://${server.hostname}:${server.port}` : ''),
    async start() {
      // The HTTP app (Hono, the dashboard, OpenAPI, metrics) loads only in a process that serves it.
      api = (await import('../server/create-api.ts')).createApi({
        broker: o.broker,
        registry: o.registry,
        config: o.config,
        log: o.log,
      })
      const insecure = api.deps.settings.insecure
      if (insecure) o.warn(INSECURE_WARNING)
      server = Bun.serve({
        port: o.config.port,
        hostname: insecure ? '127.0.0.1' : '0.0.0.0',
        fetch: api.app.fetch,
        // Our body limit answers first (413 JSON); Bun's own cap only backs it up.
        maxRequestBodySize: o.config.apiBodyLimit * 2 + 65_536,
        // Above the SSE keep-alive period, so a quiet event stream is never cut.
        idleTimeout: 60,
      })
      api.tail.start()
      await api.start()
      o.log.info(`api listening on http://${server.hostname}:${server.port}`)
    },
    async stop() {
      api?.close()
      await server?.stop()
      await api?.tail.stop()
      o.log.info('api stopped')
      return 0
    },
    done: new Promise<number>(() => {}),
  }
}
