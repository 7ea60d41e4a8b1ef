import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, createDefaultDatabase, runCeleriac } from '../cli/celeriac-process.ts'
import { blockAfter, withoutComment } from './readme-blocks.ts'

const where: CeleriacEnv = { cwd: mkdtempSync(join(tmpdir(), 'readme-schedules-')), env: {} }
afterAll(() => rmSync(where.cwd, { recursive: true, force: true }))
// The block edits the schedules of a running service: its role created the database, which
// client commands never do.
createDefaultDatabase(where.cwd)

/** The block's CLI lines, continuations joined and `a | b` lines split into one command each. */
function cliCommands(): string[][] {
  const joined = blockAfter('An entry: `{name, task, input, cron | every | at')
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map(withoutComment)
    .filter((line) => line.startsWith('npx celeriac'))
  return joined.flatMap((line) => {
    const [first, ...rest] = line.split(' | ')
    const head = (first as string).split(/\s+/).slice(0, 3)
    return [first as string, ...rest.map((r) => `${head.join(' ')} ${r}`)].map((command) =>
      (command.match(/'[^']*'|\S+/g) as string[]).map((w) => w.replace(/^'(.*)'$/, '$1')).slice(2),
    )
  })
}

describe("the README's periodic tasks block", () => {
  test('adds, lists, disables, enables, runs and removes an entry as written', async () => {
    const commands = cliCommands()
    expect(commands.map((c) => c.slice(0, 2).join(' '))).toEqual([
      'schedules add',
      'schedules list',
      'schedules disable',
      'schedules enable',
      'schedules run',
      'schedules rm',
    ])
    for (const args of commands) {
      const run = await runCeleriac(args, where)
      expect(run.code, `celeriac ${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0)
      if (args[1] === 'list') expect(run.stdout).toContain('nightly')
    }
    expect((await runCeleriac(['schedules', 'list'], where)).stdout).not.toContain('nightly')
  }, 60_000)
})
