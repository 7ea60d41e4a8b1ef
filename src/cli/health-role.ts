import type { Server } from 'bun'
import type { Logger } from '../core/logger.ts'
import { configFlags } from './config-flags.ts'
import type { FlagSpecs } from './parse-flags.ts'
import type { Role } from './role.ts'

/** `--health-port` for the roles that serve no HTTP of their own (worker, beat). */
export const HEALTH_FLAGS: FlagSpecs = configFlags('healthPort')

export interface HealthRoleOptions {
  /** null: no health server (the role starts and stops nothing). */
  port: number | null
  /** What /readyz reports: false (or a rejection) answers 503. */
  ready: () => boolean | Promise<boolean>
  log: Logger
  /** The role whose health this is, for the log line (`worker`, `beat`). */
  of: string
}

/**
 * A tiny HTTP server for platforms that check a process from outside (fly.io machine checks,
 * Kubernetes probes): /healthz is liveness (the event loop answers), /readyz is the role's own
 * readiness. Neither needs a token; neither says more than ok or unavailable.
 */
export function createHealthRole(o: HealthRoleOptions): Role & { url(): string } {
  let server: Server<undefined> | null = null
  return {
    name: 'health',
    url: () => (server ? `http://127.0.0.1:${server.port}` : ''),
    async start() {
      if (o.port === null) return
      server = Bun.serve({ port: o.port, hostname: '0.0.0.0', fetch: (req) => answer(req, o) })
      o.log.info(`${o.of} health on http://0.0.0.0:${server.port} (/healthz, /readyz)`)
    },
    async stop() {
      await server?.stop(true)
      server = null
      return 0
    },
    done: new Promise<number>(() => {}),
  }
}

async function answer(req: Request, o: HealthRoleOptions): Promise<Response> {
  const { pathname } = new URL(req.url)
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return Response.json({ status: 'method not allowed' }, { status: 405 })
  if (pathname === '/healthz') return Response.json({ status: 'ok' })
  if (pathname !== '/readyz') return Response.json({ status: 'not found' }, { status: 404 })
  const ready = await Promise.resolve()
    .then(o.ready)
    .catch((err: unknown) => {
      o.log.warn(`${o.of}: readiness check failed`, { error: String(err) })
      return false
    })
  return ready
    ? Response.json({ status: 'ready' })
    : Response.json({ status: 'unavailable' }, { status: 503 })
}
