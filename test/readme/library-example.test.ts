import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { blockAfter, ROOT } from './readme-blocks.ts'

/**
 * The README's library example, run as written in a Bun project of its own: this repository
 * packed with `npm pack` and installed with `bun add <tarball>`, as the README says.
 */
const dir = mkdtempSync(join(tmpdir(), 'readme-library-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(command: string[], cwd: string) {
  const result = Bun.spawnSync(command, { cwd, stdout: 'pipe', stderr: 'pipe' })
  if (result.exitCode !== 0)
    throw new Error(`${command.join(' ')}: ${result.stderr.toString().slice(-2_000)}`)
  return result.stdout.toString()
}

describe("the README's library example", () => {
  test('runs from a packed tarball in a project of its own, and the process exits by itself', async () => {
    run(['npm', 'pack', '--silent', '--pack-destination', dir], ROOT)
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz')) as string
    const project = join(dir, 'shop')
    mkdirSync(project)
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'shop', private: true, type: 'module' }),
    )
    run([process.execPath, 'add', join(dir, tarball)], project)
    writeFileSync(join(project, 'app.ts'), blockAfter('## As a library').join('\n'))
    const app = Bun.spawn([process.execPath, 'app.ts'], { cwd: project, stdout: 'pipe', stderr: 'pipe' })
    const timer = setTimeout(() => app.kill('SIGKILL'), 25_000)
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(app.stdout).text(),
      new Response(app.stderr).text(),
      app.exited,
    ])
    clearTimeout(timer)
    // Exiting on its own means worker.stop() and app.close() left no timer or connection behind.
    expect(exitCode, stderr).toBe(0)
    expect(stdout).toContain('path: "a.jpg"')
    expect(stdout.trim().split('\n').at(-1)).toBe('SUCCESS')
  }, 120_000)
})
