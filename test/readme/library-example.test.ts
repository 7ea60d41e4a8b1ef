import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { blockAfter, ROOT } from './readme-blocks.ts'

const dir = mkdtempSync(join(tmpdir(), 'readme-library-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the README's library example", () => {
  test('runs as written in a process of its own: the task succeeds and the process exits by itself', async () => {
    // 'celeriac' is this repository, as `bun add` would install it; nothing else changes.
    const code = blockAfter('## As a library')
      .join('\n')
      .replace("from 'celeriac'", `from '${join(ROOT, 'src/index.ts')}'`)
    writeFileSync(join(dir, 'app.ts'), code)
    const run = Bun.spawn([process.execPath, join(dir, 'app.ts')], {
      cwd: dir,
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const timer = setTimeout(() => run.kill('SIGKILL'), 25_000)
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(run.stdout).text(),
      new Response(run.stderr).text(),
      run.exited,
    ])
    clearTimeout(timer)
    // Exiting on its own means no timer or connection was left behind by worker.stop() and app.close().
    expect(exitCode, stderr).toBe(0)
    expect(stdout).toContain('path: "a.jpg"')
    expect(stdout.trim().split('\n').at(-1)).toBe('SUCCESS')
  }, 30_000)
})
