import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openBroker } from '../../src/brokers/create-broker.ts'
import type { Command } from '../../src/cli/command.ts'
import { COMMANDS } from '../../src/cli/commands.ts'
import { GLOBAL_FLAGS } from '../../src/cli/global-flags.ts'
import { parseFlags } from '../../src/cli/parse-flags.ts'
import type { Config } from '../../src/config/config-schema.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { systemClock } from '../../src/core/clock.ts'
import { consumedQueues } from '../../src/core/consumed-queues.ts'
import { createLogger } from '../../src/core/logger.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { type RedisServerProcess, startRedisServer } from '../brokers/redis-server-process.ts'
import { builtinQueues } from './builtin-queues.ts'

const ROOT = join(import.meta.dir, '../..')
const COMPOSE_TEXT = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')

interface Healthcheck {
  test: string[]
}
interface Service {
  image?: string
  build?: string | { context: string; dockerfile?: string }
  command?: string[]
  environment?: Record<string, string>
  profiles?: string[]
  volumes?: string[]
  ports?: string[]
  healthcheck?: Healthcheck
  stop_signal?: string
  stop_grace_period?: string
  depends_on?: Record<string, { condition: string }>
}
interface ComposeFile {
  services: Record<string, Service>
  volumes?: Record<string, unknown>
}

/** What the operator's .env holds: the compose file refuses to start without it. */
const DOT_ENV: Record<string, string> = { CELERIAC_API_TOKENS: 'a-token-of-sixteen-chars:read+submit+admin' }

/** Compose's variable substitution (`${X}`, `${X:?message}`, `${X:-default}`), from `env`. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, op?: string, rest?: string) => {
    const value = env[name]
    if (value !== undefined && value !== '') return value
    if (op === '?') throw new Error(`compose: ${name} is required: ${rest}`)
    return op === '-' ? (rest ?? '') : ''
  })
}

const compose = Bun.YAML.parse(interpolate(COMPOSE_TEXT, DOT_ENV)) as ComposeFile
const services = compose.services
const celeriacServices = Object.entries(services).filter(([, s]) => s.image === services.api?.image)
const defaultServices = Object.keys(services).filter((name) => !services[name]?.profiles)

/** A service's command as the binary sees it: its Command, parsed flags and Config. */
function resolve(name: string): { command: Command; config: Config; positionals: string[] } {
  const service = services[name] as Service
  const [commandName, ...argv] = service.command ?? []
  const command = COMMANDS.find((c) => c.name === commandName)
  if (!command) throw new Error(`service ${name}: '${commandName}' is not a celeriac command`)
  const args = parseFlags(argv, { ...GLOBAL_FLAGS, ...command.flags })
  const config = loadConfig({ env: service.environment ?? {}, flags: args.flags })
  return { command, config, positionals: args.positionals }
}

function seconds(text: string | undefined): number {
  const match = /^(\d+)s$/.exec(text ?? '')
  if (!match) throw new Error(`'${text}' is not a number of seconds`)
  return Number(match[1])
}

describe('docker-compose.yml', () => {
  test('starts Redis, api, worker and beat by default; the SQLite `all` only with its profile', () => {
    expect(defaultServices.sort()).toEqual(['api', 'beat', 'redis', 'worker'])
    expect(services.all?.profiles).toEqual(['sqlite'])
    expect(celeriacServices.map(([name]) => name).sort()).toEqual(['all', 'api', 'beat', 'worker'])
  })

  test('builds every celeriac service from the one Dockerfile as one image', () => {
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true)
    for (const [, service] of celeriacServices) {
      expect(service.build).toBe('.')
      expect(service.image).toBe('celeriac:local')
    }
  })

  test('gives every service a real subcommand whose flags and environment load as a config', () => {
    const names = celeriacServices.map(([name]) => resolve(name).command.name).sort()
    expect(names).toEqual(['all', 'api', 'beat', 'worker'])
    for (const [name] of celeriacServices) expect(resolve(name).positionals).toEqual([])
  })

  test('refuses to start without the API tokens from .env', () => {
    expect(() => interpolate(COMPOSE_TEXT, {})).toThrow(/CELERIAC_API_TOKENS is required/)
  })

  test('consumes the queue of every built-in task with the worker service', () => {
    const { config } = resolve('worker')
    const consumed = new Set(consumedQueues(config.queues, createBuiltinRegistry()))
    expect(config.queues).toEqual(['all'])
    expect(builtinQueues().filter((q) => !consumed.has(q))).toEqual([])
  })

  test('points the Redis roles at the redis service, and the profile at SQLite on the volume', () => {
    for (const name of ['api', 'worker', 'beat']) {
      expect(resolve(name).config.brokerUrl).toBe('redis://redis:6379')
      expect(services[name]?.depends_on?.redis?.condition).toBe('service_healthy')
    }
    expect(resolve('all').config.brokerUrl).toStartWith('sqlite://./data/')
  })

  test('mounts a declared volume at /data, where the image keeps the database and the files', () => {
    for (const [, service] of celeriacServices) {
      const [volume, target] = (service.volumes?.[0] ?? '').split(':')
      expect(target).toBe('/data')
      expect(Object.keys(compose.volumes ?? {})).toContain(volume as string)
    }
  })

  test('checks each role with `celeriac probe` on the port that role serves /readyz on', () => {
    for (const [name, service] of celeriacServices) {
      const [kind, binary, subcommand, url, ...rest] = service.healthcheck?.test ?? []
      expect([kind, binary, subcommand, rest]).toEqual(['CMD', '/celeriac', 'probe', []])
      const probe = COMMANDS.find((c) => c.name === 'probe') as Command
      expect(parseFlags([url as string], probe.flags).positionals).toEqual([url as string])
      const { config } = resolve(name)
      const served = config.healthPort ?? config.port
      expect(url).toBe(`http://127.0.0.1:${served}/readyz`)
    }
  })

  test('publishes the API port that the api and all services listen on', () => {
    for (const name of ['api', 'all']) {
      const port = resolve(name).config.port
      expect(services[name]?.ports).toEqual([`${port}:${port}`])
    }
  })

  test('sends SIGTERM and waits longer than the worker drains before killing', () => {
    for (const [name, service] of celeriacServices) {
      expect(service.stop_signal).toBe('SIGTERM')
      const waitMs = seconds(service.stop_grace_period) * 1000
      expect(waitMs).toBeGreaterThanOrEqual(resolve(name).config.graceMs + 5_000)
    }
  })
})

describe('docker-compose.yml: its Redis', () => {
  const redisArgs = (services.redis?.command ?? []).slice(1)
  let server: RedisServerProcess

  beforeAll(async () => {
    // The service's own arguments on a private redis-server: what the container would run.
    server = await startRedisServer(redisArgs)
  })
  afterAll(async () => {
    await server?.stop()
  })

  test('runs redis-server with AOF, an fsync every second and no eviction, on a volume', () => {
    expect(services.redis?.command?.[0]).toBe('redis-server')
    expect(redisArgs.join(' ')).toContain('--appendonly yes')
    expect(redisArgs.join(' ')).toMatch(/--appendfsync (everysec|always)/)
    expect(redisArgs.join(' ')).toContain('--maxmemory-policy noeviction')
    expect(services.redis?.volumes?.[0]?.split(':')[1]).toBe('/data')
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping'])
  })

  test('is a Redis the broker starts on without a warning, with AOF on', async () => {
    const lines: string[] = []
    const log = createLogger({ write: (line) => lines.push(line) })
    const broker = await openBroker(`redis://127.0.0.1:${server.port}?prefix=compose-${process.pid}`, {
      clock: systemClock,
      log,
    })
    try {
      expect(await broker.persistence?.()).toMatchObject({ aof_enabled: 1 })
    } finally {
      await broker.close()
    }
    expect(lines.filter((line) => /warn/i.test(line))).toEqual([])
  })
})
