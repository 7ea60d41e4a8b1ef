import { describe, expect, test } from 'bun:test'
import { COMMANDS } from '../../src/cli/commands.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { VERSION } from '../../src/version.ts'
import { runInProcess } from './run-cli-in-process.ts'

// None of these paths opens a broker: every one fails or answers before that.
const broker = 'sqlite:///nonexistent-dir-celeriac/never.db'

describe('runCli', () => {
  test('prints the version', async () => {
    expect(await runInProcess(['--version'])).toEqual({ code: 0, stdout: `celeriac ${VERSION}`, stderr: '' })
  })

  test('lists every command in the global help', async () => {
    const run = await runInProcess(['--help'])
    expect(run.code).toBe(0)
    for (const command of COMMANDS) expect(run.stdout).toContain(`  ${command.name} `)
  })

  test('prints usage on stderr and exits 2 without a command', async () => {
    const run = await runInProcess([])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Usage: celeriac <command>')
  })

  test('gives each command its own help, with its flags and the global ones', async () => {
    for (const command of COMMANDS) {
      const run = await runInProcess([command.name, '--help'])
      expect(run.code).toBe(0)
      expect(run.stdout).toStartWith(`Usage: celeriac ${command.name}`)
      expect(run.stdout).toContain('--broker URL')
    }
    expect((await runInProcess(['help', 'worker'])).stdout).toContain('--grace SECONDS')
  })

  test('rejects an unknown command with a hint and the list of commands', async () => {
    const run = await runInProcess(['wroker'])
    expect(run.code).toBe(2)
    expect(run.stderr).toStartWith(
      "celeriac: unknown command 'wroker' (did you mean 'worker'?); commands: all, api, worker,",
    )
  })

  test('refuses to start the api (or all) without tokens or --insecure, with exit 2', async () => {
    for (const command of ['api', 'all']) {
      const run = await runInProcess([command, '--broker', broker])
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('the api role needs tokens: set CELERIAC_API_TOKENS')
    }
  })

  test('accepts global flags before the command as well as after it', async () => {
    const before = await runInProcess(['--broker', 'sqlit://x', 'status'])
    const after = await runInProcess(['status', '--broker', 'sqlit://x'])
    expect(before.code).toBe(2)
    expect(before.stderr).toContain("did you mean 'sqlite:'?")
    expect(before).toEqual(after)
  })

  test('rejects an unknown flag with exit 2 and the command usage', async () => {
    const run = await runInProcess(['call', 'debug.noop', '--bogus'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("celeriac: unknown flag '--bogus'")
    expect(run.stderr).toContain('usage: celeriac call <task> [options]')
  })

  test('reports every configuration problem in one line and exits 2', async () => {
    const run = await runInProcess(['worker', '--grace', 'x'], { CELERIAC_CONCURRENCY: 'abc' })
    expect(run.code).toBe(2)
    expect(run.stderr.split('\n')).toHaveLength(1)
    expect(run.stderr).toContain(
      "CELERIAC_CONCURRENCY: expected a positive integer (at most 10000), got 'abc'",
    )
    expect(run.stderr).toContain("--grace: expected a duration of 0 to 24 h, got 'x'")
  })

  test('reports a missing config file named by --config or CELERIAC_CONFIG', async () => {
    const flag = await runInProcess(['status', '--config', '/nonexistent/celeriac.json'])
    expect(flag).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--config: config file not found'),
    })
    const env = await runInProcess(['status'], { CELERIAC_CONFIG: '/nonexistent/celeriac.json' })
    expect(env.stderr).toContain('CELERIAC_CONFIG: config file not found: /nonexistent/celeriac.json')
  })

  test('never prints a broker password', async () => {
    const run = await runInProcess(['status', '--broker', 'reddis://user:hunter2@host:6379'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("did you mean 'redis:'?")
    expect(run.stderr).not.toContain('hunter2')
  })

  test('rejects --input that is not JSON before touching the broker', async () => {
    const run = await runInProcess(['call', 'debug.sleep', '--input', '{"ms":', '--broker', broker])
    expect(run.code).toBe(2)
    expect(run.stderr).toStartWith('celeriac: --input: invalid JSON: ')
  })

  test('names the fields of input that fails the task schema', async () => {
    const run = await runInProcess(['call', 'debug.sleep', '--input', '{"ms":"soon"}', '--broker', broker])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("task 'debug.sleep' input: ms: ")
  })

  test('lists the registered tasks for an unknown task name', async () => {
    const run = await runInProcess(['call', 'debug.nope', '--broker', broker])
    expect(run.code).toBe(2)
    const names = createBuiltinRegistry().names().join(', ')
    expect(run.stderr).toBe(`celeriac: unknown task 'debug.nope'; registered tasks: ${names}`)
  })

  test('checks numeric flags and sub-actions', async () => {
    const priority = await runInProcess(['call', 'debug.noop', '--priority', '12', '--broker', broker])
    expect(priority.code).toBe(2)
    expect(priority.stderr).toContain("--priority: expected an integer from 0 to 9, got '12'")
    const inspect = await runInProcess(['inspect', 'everything', '--broker', broker])
    expect(inspect.code).toBe(2)
    expect(inspect.stderr).toContain(
      "unknown action 'everything'; expected one of: active, reserved, scheduled",
    )
    expect((await runInProcess(['result', '--broker', broker])).stderr).toContain('missing <id>')
  })
})
