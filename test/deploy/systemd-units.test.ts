import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { COMMANDS } from '../../src/cli/commands.ts'
import { GLOBAL_FLAGS } from '../../src/cli/global-flags.ts'
import { parseFlags } from '../../src/cli/parse-flags.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { consumedQueues } from '../../src/core/consumed-queues.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { builtinQueues } from './builtin-queues.ts'

const DIR = join(import.meta.dir, '../../deploy/systemd')
const UNITS = ['celeriac-api.service', 'celeriac-worker@.service', 'celeriac-beat.service']
const QUEUE_GROUP_UNIT = 'celeriac-queues@.service'

/** `Key=value` lines of a unit file (the last one wins, as in systemd for these keys). */
function unitKeys(file: string): Record<string, string> {
  const keys: Record<string, string> = {}
  for (const line of readFileSync(join(DIR, file), 'utf8').split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim())
    if (match) keys[match[1] as string] = match[2] as string
  }
  return keys
}

/** The env file example as the units' EnvironmentFile would hold it. */
function exampleEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of readFileSync(join(DIR, 'celeriac.env.example'), 'utf8').split('\n')) {
    const match = /^(CELERIAC_[A-Z_]+)=(.*)$/.exec(line.trim())
    if (match) env[match[1] as string] = match[2] as string
  }
  return env
}

/** Runs systemd's own escaping tool: the test fails, with its error, where it is missing. */
function systemdEscape(...args: string[]): string {
  const run = Bun.spawnSync(['systemd-escape', ...args])
  if (run.exitCode !== 0) throw new Error(`systemd-escape ${args.join(' ')}: ${run.stderr.toString()}`)
  return run.stdout.toString().trim()
}

/**
 * ExecStart as celeriac would parse it, systemd's specifiers filled in: %i the instance as written
 * in the unit name, %I the same unescaped, %H the host name.
 */
function execStart(file: string, instance = '1') {
  const unescaped = systemdEscape('--unescape', instance)
  const [binary, name, ...argv] = (unitKeys(file).ExecStart ?? '')
    .replaceAll('%i', instance)
    .replaceAll('%I', unescaped)
    .replaceAll('%H', 'host')
    .split(/\s+/)
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) throw new Error(`${file}: '${name}' is not a celeriac command`)
  const args = parseFlags(argv, { ...GLOBAL_FLAGS, ...command.flags })
  return { binary, name, args, config: loadConfig({ env: exampleEnv(), flags: args.flags }) }
}

describe('systemd units', () => {
  test('run the api, worker and beat roles of the installed binary', () => {
    expect(UNITS.map((unit) => execStart(unit).name)).toEqual(['api', 'worker', 'beat'])
    for (const unit of UNITS) expect(execStart(unit).binary).toBe('/usr/local/bin/celeriac')
  })

  test('run as the celeriac user with the shared env file and state directory', () => {
    for (const unit of [...UNITS, QUEUE_GROUP_UNIT]) {
      const keys = unitKeys(unit)
      expect(keys.User).toBe('celeriac')
      expect(keys.EnvironmentFile).toBe('/etc/celeriac/celeriac.env')
      expect(keys.WorkingDirectory).toBe('/var/lib/celeriac')
      expect(keys.KillSignal).toBe('SIGTERM')
      expect(keys.Restart).toBe('on-failure')
    }
  })

  test('consume the queue of every built-in task', () => {
    const { config } = execStart('celeriac-worker@.service')
    const consumed = new Set(consumedQueues(config.queues, createBuiltinRegistry()))
    expect(builtinQueues().filter((q) => !consumed.has(q))).toEqual([])
  })

  test('give the worker longer to stop than its grace period', () => {
    const { config } = execStart('celeriac-worker@.service')
    const timeoutMs = Number(unitKeys('celeriac-worker@.service').TimeoutStopSec) * 1000
    expect(timeoutMs).toBeGreaterThanOrEqual(config.graceMs + 5_000)
  })

  test('run one worker per queue group with the template, its instance naming the queues', () => {
    // The unit name the README's systemd-escape line makes for a group of two queues.
    const unit = systemdEscape('--template=celeriac-queues@.service', 'emails,high-priority')
    const instance = unit.slice(unit.indexOf('@') + 1, -'.service'.length)
    const { name, binary, config } = execStart(QUEUE_GROUP_UNIT, instance)
    expect([binary, name]).toEqual(['/usr/local/bin/celeriac', 'worker'])
    expect(config.queues).toEqual(['emails', 'high-priority'])
    expect(config.workerName).toBe('emails,high-priority@host')
    const keys = unitKeys(QUEUE_GROUP_UNIT)
    expect(keys.EnvironmentFile).toBe('/etc/celeriac/celeriac.env')
    expect(Number(keys.TimeoutStopSec) * 1000).toBeGreaterThanOrEqual(config.graceMs + 5_000)
  })
})
