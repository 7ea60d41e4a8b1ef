import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from '../cli/celeriac-process.ts'
import { blockAfter, expandUsage, README } from './readme-blocks.ts'

/**
 * The README's second block, run as a newcomer would in a second terminal while `celeriac all
 * --insecure` (what `npm start` runs) serves in the first, in an empty folder: every command it
 * lists, with each `a|b` alternative, the id printed by the last `call` for `<id>`, and optional
 * `[...]` parts left out.
 */
const LINES = blockAfter('Either works first. In a second terminal')
const where: CeleriacEnv = { cwd: mkdtempSync(join(tmpdir(), 'readme-quick-start-')), env: {} }
let all: RunningCeleriac

beforeAll(async () => {
  // `npm start` is `celeriac all --insecure`; only the port differs, so tests never collide on 8080.
  all = new RunningCeleriac(['all', '--insecure', '--port', '0', '--grace', '5'], where)
  await all.waitForLog(/api listening on http:\/\/127\.0\.0\.1:\d+/, 20_000)
})

/** Where the test's `all` listens: the README's `localhost:8080`, on the port the OS gave it. */
const apiBase = () => /api listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(all.stderr)?.[1] as string
afterAll(async () => {
  await all.stop()
  rmSync(where.cwd, { recursive: true, force: true })
})

/** `events` follows live events until stopped: once it says it follows, a task's events show. */
async function followEvents(args: string[]): Promise<string> {
  const events = new RunningCeleriac(args, where)
  await events.waitForLog(/celeriac events: following/)
  await runCeleriac(['call', 'debug.noop'], where)
  const deadline = Date.now() + 10_000
  while (!/task:/.test(events.stdout) && Date.now() < deadline) await Bun.sleep(25)
  await events.stop()
  return events.stdout
}

describe("the README's quick start, command by command", () => {
  test('the block lists the commands a newcomer tries', () => {
    const firstWords = LINES.map((line) => line.split(/\s+/).slice(0, 3).join(' '))
    expect(firstWords).toContain('npx celeriac call')
    expect(firstWords).toContain('npx celeriac result')
    expect(LINES.length).toBeGreaterThanOrEqual(10)
  })

  test("the text's curl works at once: no token with --insecure", async () => {
    const line = /`(curl -X POST localhost:8080\/api\/v1\/tasks\/debug\.noop)`/.exec(README)?.[1]
    expect(line).toBeString()
    const path = (line as string).split('localhost:8080')[1] as string
    const response = await fetch(`${apiBase()}${path}`, { method: 'POST' })
    expect(response.status).toBe(202)
    expect(((await response.json()) as { task_id: unknown }).task_id).toBeString()
  })

  test('every command runs as written against the running service', async () => {
    let lastId = ''
    const last: string[][] = []
    for (const line of LINES) {
      for (const words of expandUsage(line)) {
        expect(words.slice(0, 2)).toEqual(['npx', 'celeriac'])
        const args = words.slice(2).map((w) => (w === '<id>' ? lastId : w))
        // A shutdown stops the service the rest of the block talks to: it runs last.
        if (args[0] === 'control' && args[1] === 'shutdown') {
          last.push(args)
          continue
        }
        if (args[0] === 'events') {
          expect(await followEvents(args)).toMatch(/task:/)
          continue
        }
        const run = await runCeleriac(args, where)
        const shown = `celeriac ${args.join(' ')} -> ${run.code}\n${run.stdout}\n${run.stderr}`
        expect(run.stderr, shown).not.toMatch(/\n\s+at /)
        if (args[0] === 'dead' && args[1] === 'requeue') {
          // The block's ids belong to tasks that succeeded: not dead, so a clear refusal.
          expect(run.code, shown).toBe(1)
          expect(run.stderr, shown).toContain('is not in the dead-letter list')
          continue
        }
        expect(run.code, shown).toBe(0)
        if (args[0] === 'call') lastId = run.stdout.trim()
        if (args[0] === 'result') expect(run.stdout, shown).toContain('SUCCESS')
      }
    }
    for (const args of last) expect((await runCeleriac(args, where)).code).toBe(0)
  }, 120_000)
})
