import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from '../../src/cli/command.ts'
import { COMMANDS } from '../../src/cli/commands.ts'
import { GLOBAL_FLAGS } from '../../src/cli/global-flags.ts'
import { parseFlags } from '../../src/cli/parse-flags.ts'
import type { Config } from '../../src/config/config-schema.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { consumedQueues } from '../../src/core/consumed-queues.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { builtinQueues } from './builtin-queues.ts'

const ROOT = join(import.meta.dir, '../..')
const FLY_TEXT = readFileSync(join(ROOT, 'fly.toml'), 'utf8')
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')

interface Check {
  type?: string
  port?: number
  path?: string
  method?: string
  processes?: string[]
}
interface FlyConfig {
  kill_signal?: string
  kill_timeout?: number | string
  env?: Record<string, string>
  processes: Record<string, string>
  http_service?: {
    internal_port: number
    processes?: string[]
    auto_stop_machines?: string
    checks?: Check[]
  }
  services?: unknown[]
  checks?: Record<string, Check>
  mounts?: { source: string; destination: string; processes?: string[] }
  vm?: { processes?: string[] }[]
}

const fly = Bun.TOML.parse(FLY_TEXT) as unknown as FlyConfig

/** What fly's secrets provide in production, so the config can be loaded as a Machine would. */
const SECRETS = {
  CELERIAC_BROKER_URL: 'redis://default:secret@example.internal:6379',
  CELERIAC_API_TOKENS: 'a-token-of-sixteen-chars:read+submit+admin',
}

/** A process group's command as the binary sees it: its Command, parsed flags and Config. */
function resolve(
  commandLine: string,
  env: Record<string, string> = {},
  secrets: Record<string, string> = SECRETS,
) {
  const [name, ...argv] = commandLine.trim().split(/\s+/)
  const command: Command | undefined = COMMANDS.find((c) => c.name === name)
  if (!command) throw new Error(`'${name}' is not a celeriac command`)
  const args = parseFlags(argv, { ...GLOBAL_FLAGS, ...command.flags })
  const config: Config = loadConfig({ env: { ...env, ...secrets }, flags: args.flags })
  return { command, args, config }
}

function seconds(value: number | string | undefined): number {
  if (typeof value === 'number') return value
  const match = /^(\d+)s$/.exec(value ?? '')
  if (!match) throw new Error(`kill_timeout '${value}' is not a number of seconds`)
  return Number(match[1])
}

/** The last stage of the Dockerfile: the image fly runs. */
function finalStage(dockerfile: string): string[] {
  const lines = dockerfile.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'))
  const from = lines.findLastIndex((line) => /^FROM\s/i.test(line))
  return lines.slice(from)
}

/** The single-Machine SQLite variant: the commented block between its markers in fly.toml. */
function sqliteVariant(): FlyConfig {
  const block = /# --- begin sqlite variant\n([\s\S]*?)\n# --- end sqlite variant/.exec(FLY_TEXT)?.[1]
  if (block === undefined) throw new Error('fly.toml: no single-Machine variant block')
  const toml = block
    .split('\n')
    .map((line) => line.replace(/^# ?/, ''))
    .join('\n')
  return Bun.TOML.parse(toml) as unknown as FlyConfig
}

describe('fly.toml', () => {
  test('runs the process groups api, worker and beat from one image', () => {
    expect(Object.keys(fly.processes).sort()).toEqual(['api', 'beat', 'worker'])
    for (const [group, line] of Object.entries(fly.processes)) {
      expect(line.split(/\s+/)[0]).toBe(group)
    }
  })

  test('gives every group a valid celeriac subcommand whose flags and env load as a config', () => {
    for (const line of Object.values(fly.processes)) {
      const { args } = resolve(line, fly.env)
      expect(args.positionals).toEqual([])
    }
  })

  test('consumes the queue of every built-in task in some process group', () => {
    const consumed = new Set(
      Object.values(fly.processes)
        .map((line) => resolve(line, fly.env))
        .filter(({ command }) => command.name === 'worker' || command.name === 'all')
        .flatMap(({ config }) => consumedQueues(config.queues, createBuiltinRegistry())),
    )
    expect(builtinQueues().filter((q) => !consumed.has(q))).toEqual([])
  })

  test('serves HTTP and checks /readyz on the api group only', () => {
    const http = fly.http_service
    expect(http?.processes).toEqual(['api'])
    expect(http?.internal_port).toBe(resolve(fly.processes.api as string, fly.env).config.port)
    expect(http?.checks?.map((c) => c.path)).toEqual(['/readyz'])
    expect(fly.services ?? []).toEqual([])
  })

  test('checks workers and beat on the port their --health-port serves, never the api', () => {
    const checks = Object.values(fly.checks ?? {})
    const checked = checks.flatMap((c) => c.processes ?? [])
    expect(checked.sort()).toEqual(['beat', 'worker'])
    for (const check of checks) {
      expect(check.type).toBe('http')
      expect(['/healthz', '/readyz']).toContain(check.path as string)
      for (const group of check.processes ?? []) {
        const { config } = resolve(fly.processes[group] as string, fly.env)
        expect(config.healthPort).toBe(check.port as number)
      }
    }
  })

  test('sends SIGTERM and waits longer than the worker drains before killing', () => {
    expect(['SIGTERM', 'SIGINT']).toContain(fly.kill_signal as string)
    const killTimeout = seconds(fly.kill_timeout)
    const { config } = resolve(fly.processes.worker as string, fly.env)
    // At least 5 s beyond the grace period for handing tasks back and closing the broker.
    expect(killTimeout * 1000).toBeGreaterThanOrEqual(config.graceMs + 5_000)
    // Shared-CPU Machines cap kill_timeout at 5 minutes.
    expect(killTimeout).toBeLessThanOrEqual(300)
  })

  test('sizes only process groups that exist', () => {
    const groups = Object.keys(fly.processes)
    for (const vm of fly.vm ?? []) for (const group of vm.processes ?? []) expect(groups).toContain(group)
  })

  test('keeps a valid single-Machine variant for SQLite: `all` with a volume at /data, never autostopped', () => {
    const variant = sqliteVariant()
    expect(variant.processes).toEqual({ app: 'all' })
    // Only the tokens are set: the broker is the SQLite default, under the volume.
    const tokens = { CELERIAC_API_TOKENS: SECRETS.CELERIAC_API_TOKENS }
    const { config } = resolve(variant.processes.app as string, fly.env, tokens)
    expect(config.brokerUrl).toStartWith('sqlite://./data/')
    expect(variant.mounts?.destination).toBe('/data')
    expect(variant.http_service?.processes).toEqual(['app'])
    expect(variant.http_service?.auto_stop_machines).toBe('off')
    expect(variant.http_service?.checks?.map((c) => c.path)).toEqual(['/readyz'])
  })
})

describe('Dockerfile', () => {
  const final = finalStage(DOCKERFILE)

  test('runs the binary as the entrypoint, `all` by default', () => {
    expect(final).toContain('ENTRYPOINT ["/celeriac"]')
    expect(final).toContain('CMD ["all"]')
    expect(final).toContain('EXPOSE 8080')
  })

  test('runs as a non-root user in a minimal image', () => {
    const user = final.find((line) => /^USER\s/.test(line))?.split(/\s+/)[1]
    expect(user).toBeDefined()
    expect(['root', '0', '0:0']).not.toContain(user as string)
    expect(final[0]).toMatch(/^FROM (gcr\.io\/distroless\/cc|debian:[\w.-]+-slim)/)
  })

  test('compiles with scripts/build.ts, so the flags and Worker-thread entrypoints live in one place', () => {
    expect(DOCKERFILE).toMatch(/^RUN npm run build -- \/out\/celeriac/m)
    expect(final).toContain('COPY --from=build /out/celeriac /celeriac')
  })
})
