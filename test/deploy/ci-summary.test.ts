import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const SCRIPT = resolve(import.meta.dir, '../../.ci/summary.sh')
const dir = mkdtempSync(join(tmpdir(), 'ci-summary-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const BUN_SUMMARY = '\n 687 pass\n 0 fail\n 6361 expect() calls\nRan 687 tests across 66 files. [139.24s]\n'

function summarize(log: string, testExit: number, failedSteps: string[] = []) {
  const file = join(dir, `log-${Math.random().toString(36).slice(2)}`)
  writeFileSync(file, log)
  const run = Bun.spawnSync(['bash', SCRIPT, file, String(testExit), ...failedSteps])
  const lines = run.stdout.toString().trimEnd().split('\n')
  return { exitCode: run.exitCode, last: lines.at(-1), before: lines.at(-2) }
}

describe('CI closing line', () => {
  test('is "N passed, 0 failed" and exits 0 only when every step and test passed', () => {
    const out = summarize(`(pass) a test\n${BUN_SUMMARY}`, 0)
    expect(out).toMatchObject({ exitCode: 0, last: '687 passed, 0 failed' })
  })

  test('counts each failed step (type check, lint, build, smoke test) as a failure', () => {
    const out = summarize(BUN_SUMMARY, 0, ['tsc', 'binary smoke test'])
    expect(out.last).toBe('687 passed, 2 failed')
    expect(out.before).toBe('CI failed: tsc;binary smoke test')
    expect(out.exitCode).toBe(1)
  })

  test('adds failed tests to failed steps', () => {
    const log = '\n 680 pass\n 7 fail\nRan 687 tests across 66 files. [1.0s]\n'
    expect(summarize(log, 1, ['biome']).last).toBe('680 passed, 8 failed')
  })

  test('says the test runner crashed when its summary never came', () => {
    const out = summarize('(pass) one\n(pass) two\nSegmentation fault (core dumped)\n', 139)
    expect(out.last).toBe('crashed: 0 passed, 1 failed')
    expect(out.before).toContain('ended without its summary (exit 139)')
    expect(out.exitCode).toBe(1)
  })

  test('fails a non-zero test exit even when no test is counted as failed', () => {
    const out = summarize(BUN_SUMMARY, 1)
    expect(out).toMatchObject({ exitCode: 1, last: '687 passed, 1 failed' })
  })

  test('reads the runner summary, not a test name that looks like one', () => {
    const log =
      '(pass) a line reading " 3 fail" inside a name\n 12 pass\n 0 fail\nRan 12 tests across 2 files. [1s]\n'
    expect(summarize(log, 0).last).toBe('12 passed, 0 failed')
  })
})
